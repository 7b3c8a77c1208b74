package ecsapi

import (
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) listTasks(in *listTasksInput) (any, error) {
	c, size, err := a.listCluster(in.Cluster, in.MaxResults, defaultPageSize)
	if err != nil {
		return nil, err
	}
	if err := checkTaskFilters(in); err != nil {
		return nil, err
	}
	desired := in.DesiredStatus
	if desired == "" {
		desired = fleet.TaskRunning
	}
	// Simulated tasks run on EC2 and record no startedBy.
	if (in.LaunchType != "" && in.LaunchType != "EC2") || in.StartedBy != "" {
		return listTasksOutput{TaskArns: []string{}}, nil
	}
	family := in.Family
	if in.ServiceName != "" {
		// A service's tasks are its family's: every simulated task's
		// group is service:<family>.
		s, err := a.service(c, "serviceName", in.ServiceName)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return nil, wire.ClientErr(CodeServiceNotFound, "Service not found.")
		}
		family = s.Def.Family
	}
	keep := func(t *fleet.Task) bool {
		return t.DesiredStatus == desired && (family == "" || t.Def.Family == family)
	}
	scope := "tasks|" + c.Name + "|" + desired + "|" + family + "|" + in.ContainerInstance

	tasks := c.Tasks
	if in.ContainerInstance != "" {
		id, ok, err := a.member(c, "containerInstance", in.ContainerInstance, kindContainerInstance)
		if err != nil {
			return nil, err
		}
		inst := c.Instance(id)
		if !ok || inst == nil {
			return nil, invalidParameter("Invalid containerInstance %s", in.ContainerInstance)
		}
		if desired == fleet.TaskRunning {
			tasks = inst.Tasks // only running tasks are indexed per instance
		}
		all := keep
		keep = func(t *fleet.Task) bool { return t.Instance == inst && all(t) }
	}
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	arns, next := wire.Page(pos, len(tasks), size, func(i int) (string, bool) {
		if !keep(tasks[i]) {
			return "", false
		}
		return tasks[i].ARN(), true
	})
	return listTasksOutput{TaskArns: arns, NextToken: token(next, scope)}, nil
}

// checkTaskFilters refuses the combinations ECS refuses: startedBy with
// any other filter ("When you specify startedBy as the filter, it must be
// the only filter that you use"), and serviceName with family or
// containerInstance ("cannot specify serviceName with other arguments").
func checkTaskFilters(in *listTasksInput) error {
	if in.StartedBy != "" && (in.Family != "" || in.ServiceName != "" || in.ContainerInstance != "" || in.LaunchType != "") {
		return invalidParameter("cannot specify startedBy with other arguments")
	}
	if in.ServiceName != "" && (in.Family != "" || in.ContainerInstance != "") {
		return invalidParameter("cannot specify serviceName with other arguments")
	}
	return nil
}

func (a *API) describeTasks(in *describeTasksInput) (any, error) {
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	found, failures, err := describe(a, c, in.Tasks, members[*fleet.Task]{field: "tasks", kind: kindTask, find: c.Task, arn: c.TaskARN},
		func(t *fleet.Task) taskJSON { return renderTask(c, t) })
	if err != nil {
		return nil, err
	}
	return describeTasksOutput{Tasks: found, Failures: failures}, nil
}

// firstDynamicPort is where Windows NAT starts handing out host ports
// for hostPort 0 mappings.
const firstDynamicPort = 49153

func renderTask(c *fleet.Cluster, t *fleet.Task) taskJSON {
	inst := t.Instance
	arn := t.ARN()
	out := taskJSON{
		TaskArn:              arn,
		ClusterArn:           c.ARN,
		TaskDefinitionArn:    t.Def.ARN(),
		ContainerInstanceArn: inst.ARN(),
		LastStatus:           t.LastStatus,
		DesiredStatus:        t.DesiredStatus,
		LaunchType:           "EC2",
		Group:                "service:" + t.Def.Family,
		Version:              t.Version,
		Connectivity:         "CONNECTED",
		CreatedAt:            wire.EpochOf(t.CreatedAt),
		StartedAt:            wire.EpochOf(t.StartedAt),
		StoppedAt:            wire.EpochOf(t.StoppedAt),
		StoppedReason:        t.StoppedReason,
		Overrides:            overridesJSON{ContainerOverrides: []struct{}{}, TaskRoleArn: t.Def.RoleOverride},
		Containers:           make([]taskContainerJSON, 0, len(t.Def.Containers)),
		Attachments:          []attachmentJSON{},
	}
	if attr, ok := inst.Attr(fleet.AttrAZ); ok {
		out.AvailabilityZone = attr
	}
	dynamic := int32(firstDynamicPort)
	for _, cd := range t.Def.Containers {
		tc := taskContainerJSON{
			ContainerArn:    strings.Replace(arn, ":task/", ":container/", 1) + "/" + cd.Name,
			TaskArn:         arn,
			Name:            cd.Name,
			Image:           cd.Image,
			LastStatus:      t.LastStatus,
			HealthStatus:    "UNKNOWN",
			NetworkBindings: []networkBindingJSON{},
		}
		if t.Def.NATMode() && t.LastStatus == fleet.TaskRunning {
			for _, pm := range cd.PortMappings {
				host := pm.HostPort
				if host == 0 {
					host = dynamic
					dynamic++
				}
				tc.NetworkBindings = append(tc.NetworkBindings, networkBindingJSON{
					BindIP: "0.0.0.0", ContainerPort: pm.ContainerPort, HostPort: host, Protocol: protocol(pm.Protocol),
				})
			}
		}
		out.Containers = append(out.Containers, tc)
	}
	if !t.Def.NATMode() {
		out.Attachments = append(out.Attachments, attachmentJSON{ID: t.ID[:8] + "-eni", Type: "ElasticNetworkInterface", Status: "ATTACHED"})
	}
	return out
}

func protocol(p string) string {
	if p == "" {
		return "tcp"
	}
	return p
}
