package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/inventory"
)

// taskDefinitionJSON is the part of a task definition that the rules
// read, as `aws ecs describe-task-definition` prints it and as
// register-task-definition takes it (--cli-input-json). It is decoded
// here rather than into the SDK's types, which carry no JSON names and
// would choke on fields the rules never read.
type taskDefinitionJSON struct {
	TaskDefinitionArn    string                `json:"taskDefinitionArn"`
	Family               string                `json:"family"`
	Revision             int32                 `json:"revision"`
	NetworkMode          string                `json:"networkMode"`
	TaskRoleArn          string                `json:"taskRoleArn"`
	ContainerDefinitions []containerDefinition `json:"containerDefinitions"`
}

type containerDefinition struct {
	Name         string        `json:"name"`
	PortMappings []portMapping `json:"portMappings"`
}

type portMapping struct {
	ContainerPort *int32 `json:"containerPort"`
	HostPort      *int32 `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

// readTaskDefinition reads one task-definition file: the output of
// describe-task-definition ({"taskDefinition": {...}}) or the input of
// register-task-definition ({"family": ..., "containerDefinitions": ...}).
// "-" is standard input, in.
func readTaskDefinition(path string, in io.Reader) (*inventory.TaskDefinition, error) {
	raw, err := readInput(path, in)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		TaskDefinition *taskDefinitionJSON `json:"taskDefinition"`
	}
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return nil, fmt.Errorf("not a task-definition JSON document: %w", err)
	}
	td := wrapped.TaskDefinition
	if td == nil {
		td = &taskDefinitionJSON{}
		if err := json.NewDecoder(bytes.NewReader(raw)).Decode(td); err != nil {
			return nil, fmt.Errorf("not a task-definition JSON document: %w", err)
		}
	}
	if td.Family == "" || len(td.ContainerDefinitions) == 0 {
		return nil, errors.New(`no "family" or no "containerDefinitions": give the output of aws ecs describe-task-definition or a register-task-definition input`)
	}
	return inventory.TaskDefinitionFrom(td.TaskDefinitionArn, td.sdk()), nil
}

// sdk hands the file to inventory in the shape DescribeTaskDefinition
// returns, so files and live task definitions meet the same port-80 rule.
func (td *taskDefinitionJSON) sdk() *ecstypes.TaskDefinition {
	out := &ecstypes.TaskDefinition{
		Family: &td.Family, Revision: td.Revision,
		NetworkMode: ecstypes.NetworkMode(td.NetworkMode),
	}
	if td.TaskRoleArn != "" {
		out.TaskRoleArn = &td.TaskRoleArn
	}
	for _, c := range td.ContainerDefinitions {
		cd := ecstypes.ContainerDefinition{Name: &c.Name}
		for _, pm := range c.PortMappings {
			cd.PortMappings = append(cd.PortMappings, ecstypes.PortMapping{
				ContainerPort: pm.ContainerPort, HostPort: pm.HostPort,
				// The API's enum is lower case; files written by hand may not be.
				Protocol: ecstypes.TransportProtocol(strings.ToLower(pm.Protocol)),
			})
		}
		out.ContainerDefinitions = append(out.ContainerDefinitions, cd)
	}
	return out
}
