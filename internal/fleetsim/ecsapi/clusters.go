package ecsapi

import (
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) listClusters(in *listClustersInput) (any, error) {
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
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
	if len(in.Clusters) > maxDescribeBatch {
		return nil, invalidParameter("clusters can have at most %d items.", maxDescribeBatch)
	}
	names := in.Clusters
	if len(names) == 0 {
		names = []string{"default"}
	}
	out := describeClustersOutput{Clusters: []clusterJSON{}, Failures: []failure{}}
	for _, name := range names {
		c := a.Fleet.Cluster(name)
		if c == nil {
			out.Failures = append(out.Failures, failure{Arn: a.clusterARN(name), Reason: "MISSING"})
			continue
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

func (a *API) clusterARN(nameOrARN string) string {
	if len(nameOrARN) > 4 && nameOrARN[:4] == "arn:" {
		return nameOrARN
	}
	return "arn:aws:ecs:" + a.Fleet.Region + ":" + a.Fleet.AccountID + ":cluster/" + nameOrARN
}
