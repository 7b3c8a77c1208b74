package ecsapi

import (
	"fmt"
	"hash/fnv"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) listServices(in *listServicesInput) (any, error) {
	c, size, err := a.listCluster(in.Cluster, in.MaxResults, defaultServicesPage)
	if err != nil {
		return nil, err
	}
	// Every simulated service is a REPLICA service on EC2.
	if (in.LaunchType != "" && in.LaunchType != "EC2") || in.SchedulingStrategy == "DAEMON" {
		return listServicesOutput{ServiceArns: []string{}}, nil
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

// service resolves a service name or ARN in c; nil when c has none.
func (a *API) service(c *fleet.Cluster, field, ref string) (*fleet.Service, error) {
	name, ok, err := a.member(c, field, ref, kindService)
	if err != nil || !ok {
		return nil, err
	}
	return c.Service(name), nil
}

func (a *API) describeServices(in *describeServicesInput) (any, error) {
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	found, failures, err := describe(a, c, in.Services, members[*fleet.Service]{field: "services", kind: kindService, find: c.Service,
		arn: func(name string) string { return a.Fleet.ServiceARN(c, name) }},
		func(s *fleet.Service) serviceJSON { return renderService(c, s) })
	if err != nil {
		return nil, err
	}
	return describeServicesOutput{Services: found, Failures: failures}, nil
}

// renderService answers as AWS does for a service whose missing tasks
// cannot place: they are never created, so pendingCount stays 0 and only
// runningCount falls short of desiredCount; its one deployment, the
// PRIMARY, stays IN_PROGRESS and an event says why. A service running
// what it wants has one COMPLETED PRIMARY deployment, which is what
// the ServicesStable waiter waits for.
func renderService(c *fleet.Cluster, s *fleet.Service) serviceJSON {
	desired, running := s.DesiredCount(c), s.Running(c)
	created := wire.EpochOf(s.CreatedAt)
	d := deploymentJSON{
		ID: deploymentID(s), Status: "PRIMARY", TaskDefinition: s.Def.ARN(),
		DesiredCount: desired, RunningCount: running, CreatedAt: created, UpdatedAt: created,
		LaunchType: "EC2", RolloutState: "COMPLETED",
		RolloutStateReason: "ECS deployment " + deploymentID(s) + " completed.",
	}
	out := serviceJSON{
		ServiceArn:         s.ARN,
		ServiceName:        s.Name,
		ClusterArn:         c.ARN,
		Status:             fleet.StatusActive,
		TaskDefinition:     s.Def.ARN(),
		DesiredCount:       desired,
		RunningCount:       running,
		LaunchType:         "EC2",
		SchedulingStrategy: "REPLICA",
		CreatedAt:          created,
		Deployments:        []deploymentJSON{d},
		Events:             []serviceEventJSON{},
	}
	if running < desired {
		out.Deployments[0].RolloutState = "IN_PROGRESS"
		out.Deployments[0].RolloutStateReason = "ECS deployment " + d.ID + " in progress."
		out.Events = append(out.Events, serviceEventJSON{
			ID: eventID(s), CreatedAt: created,
			Message: fmt.Sprintf("(service %s) was unable to place a task because no container instance met all of its requirements. "+
				"The closest matching container instance is already using a port required by your task.", s.Name),
		})
	}
	return out
}

// eventID is a UUID for the service's one event, stable for the service.
func eventID(s *fleet.Service) string {
	h := fnv.New128a()
	_, _ = h.Write([]byte(s.ARN))
	b := h.Sum(nil)
	return fmt.Sprintf("%x-%x-4%x-8%x-%x", b[0:4], b[4:6], b[6:8][0:2], b[8:10], b[10:16])
}

// deploymentID is the service's deployment ID, "ecs-svc/" and 19
// digits as ECS makes them, stable for the service.
func deploymentID(s *fleet.Service) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s.ARN))
	return fmt.Sprintf("ecs-svc/%019d", h.Sum64()%1e19)
}
