package ecsapi

import (
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) listContainerInstances(in *listContainerInstancesInput) (any, error) {
	c, size, err := a.listCluster(in.Cluster, in.MaxResults, defaultPageSize)
	if err != nil {
		return nil, err
	}
	match, err := fleet.ParseFilter(in.Filter)
	if err != nil {
		return nil, invalidParameter("Invalid filter expression: %v", err)
	}
	scope := "ci|" + c.Name + "|" + in.Status + "|" + in.Filter
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	insts := c.Instances
	arns, next := wire.Page(pos, len(insts), size, func(i int) (string, bool) {
		inst := insts[i]
		// Deregistered instances are never listed (only described).
		if inst.Status == fleet.StatusInactive || (in.Status != "" && inst.Status != in.Status) {
			return "", false
		}
		if !match(inst) {
			return "", false
		}
		return inst.ARN(), true
	})
	return listContainerInstancesOutput{ContainerInstanceArns: arns, NextToken: token(next, scope)}, nil
}

func (a *API) describeContainerInstances(in *describeContainerInstancesInput) (any, error) {
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	found, failures, err := describe(a, c, in.ContainerInstances,
		members[*fleet.Instance]{field: "containerInstances", kind: kindContainerInstance, find: c.Instance, arn: c.InstanceARN}, renderInstance)
	if err != nil {
		return nil, err
	}
	return describeContainerInstancesOutput{ContainerInstances: found, Failures: failures}, nil
}

func renderInstance(i *fleet.Instance) containerInstanceJSON {
	attrs := make([]attributeJSON, 0, 12)
	i.Attributes(func(at fleet.Attribute) bool {
		attrs = append(attrs, attributeJSON{Name: at.Name, Value: at.Value})
		return true
	})
	docker := "DockerVersion: 20.10.24"
	if i.Windows() {
		docker = "DockerVersion: 25.0.6"
	}
	return containerInstanceJSON{
		ContainerInstanceArn: i.ARN(),
		Ec2InstanceID:        i.EC2ID,
		Version:              i.Version,
		VersionInfo:          versionInfoJSON{AgentVersion: "1.89.0", AgentHash: "4a3f0c1e", DockerVersion: docker},
		RegisteredResources:  resources(i, 4096, 16384),
		RemainingResources:   resources(i, 4096-256*int32(len(i.Tasks)), 16384-1024*int32(len(i.Tasks))),
		Status:               i.Status,
		AgentConnected:       i.AgentConnected,
		RunningTasksCount:    len(i.Tasks),
		Attributes:           attrs,
		RegisteredAt:         wire.EpochOf(i.RegisteredAt),
	}
}

func resources(i *fleet.Instance, cpu, memory int32) []resourceJSON {
	return []resourceJSON{
		{Name: "CPU", Type: "INTEGER", IntegerValue: max(cpu, 0)},
		{Name: "MEMORY", Type: "INTEGER", IntegerValue: max(memory, 0)},
		{Name: "PORTS", Type: "STRINGSET", StringSetValue: i.ReservedPorts()},
		{Name: "PORTS_UDP", Type: "STRINGSET", StringSetValue: []string{}},
	}
}
