package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ecswin/ecswin/internal/inventory"
)

// taskDefinitionJSON is the part of a task definition that the rules
// read, as `aws ecs describe-task-definition` prints it and as
// register-task-definition takes it (--cli-input-json).
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
func readTaskDefinition(path string) (*inventory.TaskDefinition, error) {
	raw, err := os.ReadFile(path)
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
	return td.convert(), nil
}

// convert keeps what the audit rules judge, deciding which containers
// bind host port 80 as inventory does for task definitions read from ECS.
func (td *taskDefinitionJSON) convert() *inventory.TaskDefinition {
	out := &inventory.TaskDefinition{
		ARN: td.TaskDefinitionArn, Family: td.Family, Revision: td.Revision,
		NetworkMode: td.NetworkMode, TaskRoleARN: td.TaskRoleArn,
	}
	for _, c := range td.ContainerDefinitions {
		if bindsHostPort80(td.NetworkMode, c.PortMappings) {
			out.HostPort80Containers = append(out.HostPort80Containers, c.Name)
		}
	}
	return out
}

// bindsHostPort80: never in awsvpc or none; in host mode the container
// port is the host port; in NAT and bridge only an explicit hostPort 80.
// UDP never collides with the proxy's TCP port.
// TODO(core): use an exported inventory converter once there is one, so
// this rule lives in one place.
func bindsHostPort80(networkMode string, mappings []portMapping) bool {
	is80 := func(p *int32) bool { return p != nil && *p == 80 }
	for _, pm := range mappings {
		if strings.EqualFold(pm.Protocol, "udp") {
			continue
		}
		switch networkMode {
		case inventory.NetworkModeAWSVPC, inventory.NetworkModeNone:
			return false
		case inventory.NetworkModeHost:
			if is80(pm.ContainerPort) || is80(pm.HostPort) {
				return true
			}
		default:
			if is80(pm.HostPort) {
				return true
			}
		}
	}
	return false
}
