package ecsapi

import (
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) describeTaskDefinition(in *describeTaskDefinitionInput) (any, error) {
	if in.TaskDefinition == "" {
		return nil, invalidParameter("taskDefinition can not be blank.")
	}
	def := a.Fleet.TaskDefinition(in.TaskDefinition)
	if def == nil {
		return nil, wire.ClientErr(CodeClient, "Unable to describe task definition.")
	}
	return describeTaskDefinitionOutput{TaskDefinition: renderTaskDefinition(def), Tags: []struct{}{}}, nil
}

func renderTaskDefinition(d *fleet.TaskDefinition) taskDefinitionJSON {
	out := taskDefinitionJSON{
		TaskDefinitionArn:       d.ARN(),
		Family:                  d.Family,
		Revision:                d.Revision,
		Status:                  "ACTIVE",
		NetworkMode:             d.NetworkMode,
		TaskRoleArn:             d.TaskRoleArn,
		RequiresAttributes:      []attributeJSON{},
		Compatibilities:         []string{"EC2"},
		RequiresCompatibilities: []string{"EC2"},
		RegisteredAt:            wire.EpochOf(d.RegisteredAt),
		RegisteredBy:            "arn:aws:iam::123456789012:role/deployer",
	}
	if d.TaskRoleArn != "" {
		out.RequiresAttributes = append(out.RequiresAttributes, attributeJSON{Name: fleet.AttrTaskIAMRole})
	}
	if d.NetworkMode == "awsvpc" {
		out.RequiresAttributes = append(out.RequiresAttributes, attributeJSON{Name: fleet.AttrTaskENI})
	}
	for _, c := range d.Containers {
		cd := containerDefinitionJSON{Name: c.Name, Image: c.Image, CPU: 256, Memory: 1024, Essential: true, PortMappings: []portMappingJSON{}}
		if cd.Image == "" {
			cd.Image = "example/" + c.Name + ":latest"
		}
		for _, pm := range c.PortMappings {
			host := pm.HostPort
			if d.NetworkMode == "awsvpc" || d.NetworkMode == "host" {
				host = pm.ContainerPort
			}
			cd.PortMappings = append(cd.PortMappings, portMappingJSON{ContainerPort: pm.ContainerPort, HostPort: host, Protocol: protocol(pm.Protocol)})
		}
		out.ContainerDefinitions = append(out.ContainerDefinitions, cd)
	}
	return out
}

func (a *API) listTaskDefinitions(in *listTaskDefinitionsInput) (any, error) {
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	switch in.Status {
	case "", "ACTIVE":
	case "INACTIVE", "DELETE_IN_PROGRESS":
		return listTaskDefinitionsOutput{TaskDefinitionArns: []string{}}, nil
	default:
		return nil, invalidParameter("Invalid status %s", in.Status)
	}
	desc := false
	switch in.Sort {
	case "", "ASC":
	case "DESC":
		desc = true
	default:
		return nil, invalidParameter("Invalid sort %s", in.Sort)
	}
	scope := "taskdefs|" + in.FamilyPrefix + "|" + in.Sort
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	defs := a.Fleet.TaskDefs
	n := len(defs)
	arns, next := wire.Page(pos, n, size, func(i int) (string, bool) {
		if desc {
			i = n - 1 - i
		}
		d := defs[i]
		if !strings.HasPrefix(d.Family, in.FamilyPrefix) {
			return "", false
		}
		return d.ARN(), true
	})
	return listTaskDefinitionsOutput{TaskDefinitionArns: arns, NextToken: token(next, scope)}, nil
}
