package ecsapi

import (
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// maxDescribeServices is how many services one DescribeServices takes.
const maxDescribeServices = 10

func (a *API) listServices(in *listServicesInput) (any, error) {
	c, size, err := a.listCluster(in.Cluster, in.MaxResults)
	if err != nil {
		return nil, err
	}
	switch in.LaunchType {
	case "", "EC2":
	case "FARGATE", "EXTERNAL":
		return listServicesOutput{ServiceArns: []string{}}, nil // every simulated service runs on EC2
	default:
		return nil, invalidParameter("Invalid launchType %s", in.LaunchType)
	}
	switch in.SchedulingStrategy {
	case "", "REPLICA":
	case "DAEMON":
		return listServicesOutput{ServiceArns: []string{}}, nil
	default:
		return nil, invalidParameter("Invalid schedulingStrategy %s", in.SchedulingStrategy)
	}
	scope := "services|" + c.Name
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	svcs := c.Services
	arns, next := wire.Page(pos, len(svcs), size, func(i int) (string, bool) { return svcs[i].ARN, true })
	return listServicesOutput{ServiceArns: arns, NextToken: token(next, scope)}, nil
}

func (a *API) describeServices(in *describeServicesInput) (any, error) {
	if len(in.Services) == 0 {
		return nil, invalidParameter("services can not be empty.")
	}
	if len(in.Services) > maxDescribeServices {
		return nil, invalidParameter("services can have at most %d items.", maxDescribeServices)
	}
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	out := describeServicesOutput{Services: make([]serviceJSON, 0, len(in.Services)), Failures: []failure{}}
	for _, ref := range in.Services {
		s := c.Service(ref)
		if s == nil {
			out.Failures = append(out.Failures, failure{Arn: a.serviceARN(c, ref), Reason: "MISSING"})
			continue
		}
		out.Services = append(out.Services, renderService(c, s))
	}
	return out, nil
}

// renderService answers as AWS does for a service whose missing tasks
// cannot place: they are never created, so pendingCount stays 0 and only
// runningCount falls short of desiredCount.
func renderService(c *fleet.Cluster, s *fleet.Service) serviceJSON {
	return serviceJSON{
		ServiceArn:         s.ARN,
		ServiceName:        s.Name,
		ClusterArn:         c.ARN,
		Status:             fleet.StatusActive,
		TaskDefinition:     s.Def.ARN(),
		DesiredCount:       s.DesiredCount(c),
		RunningCount:       s.Running(c),
		LaunchType:         "EC2",
		SchedulingStrategy: "REPLICA",
		CreatedAt:          wire.EpochOf(s.CreatedAt),
		Deployments:        []struct{}{},
		Events:             []struct{}{},
	}
}

func (a *API) serviceARN(c *fleet.Cluster, nameOrARN string) string {
	if len(nameOrARN) > 4 && nameOrARN[:4] == "arn:" {
		return nameOrARN
	}
	return "arn:aws:ecs:" + a.Fleet.Region + ":" + a.Fleet.AccountID + ":service/" + c.Name + "/" + nameOrARN
}
