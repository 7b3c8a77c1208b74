package ecsapi

import (
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) listClusters(in *listClustersInput) (any, error) {
	size := pageSize(in.MaxResults, defaultPageSize)
	const scope = "clusters"
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	cs := a.Fleet.Clusters
	arns, next := wire.Page(pos, len(cs), size, func(i int) (string, bool) { return cs[i].ARN, true })
	return listClustersOutput{ClusterArns: arns, NextToken: token(next, scope)}, nil
}

func (a *API) describeClusters(in *describeClustersInput) (any, error) {
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	out := describeClustersOutput{Clusters: []clusterJSON{}, Failures: []failure{}}
	for _, ref := range refs {
		c, err := a.cluster(ref)
		if isCode(err, CodeClusterNotFound) {
			out.Failures = append(out.Failures, failure{Arn: failureARN(ref, a.Fleet.ClusterARN), Reason: "MISSING"})
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Clusters = append(out.Clusters, clusterJSON{
			ClusterArn:                        c.ARN,
			ClusterName:                       c.Name,
			Status:                            fleet.StatusActive,
			RegisteredContainerInstancesCount: c.ActiveInstances(),
			RunningTasksCount:                 c.RunningTasks(),
			ActiveServicesCount:               len(c.Services),
		})
	}
	return out, nil
}
