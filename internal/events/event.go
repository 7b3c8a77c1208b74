package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxBodyBytes is the largest message ecswin reads: EventBridge events
// are at most 256 KB, so a larger body is no event of theirs.
const MaxBodyBytes = 256 * 1024

// The event types ecswin reads (EventBridge's source and detail-type).
const (
	SourceECS = "aws.ecs"
	SourceSSM = "aws.ssm"

	DetailTaskStateChange     = "ECS Task State Change"
	DetailInstanceStateChange = "ECS Container Instance State Change"
	DetailServiceAction       = "ECS Service Action"
	DetailInvocationStatus    = "EC2 Command Invocation Status-change Notification"

	eventPlacementFailure = "SERVICE_TASK_PLACEMENT_FAILURE"
	reasonPorts           = "RESOURCE:PORTS"
)

// DetailTypes are every detail-type ecswin reads, by source; the
// template's rules (config/aws) route exactly these to the queue.
var DetailTypes = map[string][]string{
	SourceECS: {DetailTaskStateChange, DetailInstanceStateChange, DetailServiceAction},
	SourceSSM: {DetailInvocationStatus},
}

// Type labels of metrics: one per detail type, and "unknown".
const (
	TypeTask       = "task"
	TypeInstance   = "container_instance"
	TypeService    = "service_action"
	TypeInvocation = "invocation"
	TypeUnknown    = "unknown"
)

// envelope is EventBridge's envelope, as a rule's SQS target receives it.
type envelope struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// taskDetail is the part of an ECS Task State Change ecswin reads.
type taskDetail struct {
	ClusterArn           string `json:"clusterArn"`
	TaskArn              string `json:"taskArn"`
	TaskDefinitionArn    string `json:"taskDefinitionArn"`
	ContainerInstanceArn string `json:"containerInstanceArn"`
	LastStatus           string `json:"lastStatus"`
	Version              int64  `json:"version"`
}

// instanceDetail is the part of an ECS Container Instance State Change.
type instanceDetail struct {
	ClusterArn           string `json:"clusterArn"`
	ContainerInstanceArn string `json:"containerInstanceArn"`
	Ec2InstanceID        string `json:"ec2InstanceId"`
	AgentConnected       *bool  `json:"agentConnected"`
	Status               string `json:"status"`
	Version              int64  `json:"version"`
}

// serviceDetail is the part of an ECS Service Action: the placement
// failure's cause is in reason (the user guide's example) or reasons.
type serviceDetail struct {
	ClusterArn string   `json:"clusterArn"`
	EventName  string   `json:"eventName"`
	Reason     string   `json:"reason"`
	Reasons    []string `json:"reasons"`
}

// invocationDetail is an EC2 Command Invocation Status-change Notification's.
type invocationDetail struct {
	CommandID    string `json:"command-id"`
	DocumentName string `json:"document-name"`
	InstanceID   string `json:"instance-id"`
	Status       string `json:"status"`
}

// event is one parsed message.
type event struct {
	id, source, detailType, account, region string
	at                                      time.Time
	resources                               []string
	task                                    *taskDetail
	instance                                *instanceDetail
	service                                 *serviceDetail
	invocation                              *invocationDetail
}

// errMalformed is a body that is no EventBridge event ecswin can read.
var errMalformed = errors.New("malformed event")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

// typeOf is the metric label of an event's type.
func typeOf(source, detailType string) string {
	switch {
	case source == SourceECS && detailType == DetailTaskStateChange:
		return TypeTask
	case source == SourceECS && detailType == DetailInstanceStateChange:
		return TypeInstance
	case source == SourceECS && detailType == DetailServiceAction:
		return TypeService
	case source == SourceSSM && detailType == DetailInvocationStatus:
		return TypeInvocation
	}
	return TypeUnknown
}

// parse reads a message body: the envelope, then the detail of the
// types ecswin reads (an event of another type parses, with no detail).
func parse(body string) (*event, error) {
	var env envelope
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		return nil, malformed("the body is not an EventBridge event: %v", err)
	}
	if env.ID == "" || env.Source == "" || env.DetailType == "" || env.Time == "" {
		return nil, malformed("the envelope lacks its id, source, detail-type or time")
	}
	at, err := time.Parse(time.RFC3339, env.Time)
	if err != nil {
		return nil, malformed("time %q: %v", env.Time, err)
	}
	e := &event{id: env.ID, source: env.Source, detailType: env.DetailType, account: env.Account, region: env.Region, at: at, resources: env.Resources}
	into := map[string]any{
		TypeTask: &e.task, TypeInstance: &e.instance, TypeService: &e.service, TypeInvocation: &e.invocation,
	}[typeOf(env.Source, env.DetailType)]
	if into == nil {
		return e, nil
	}
	if len(env.Detail) == 0 || string(env.Detail) == "null" {
		return nil, malformed("%s without a detail", env.DetailType)
	}
	if err := json.Unmarshal(env.Detail, into); err != nil {
		return nil, malformed("%s detail: %v", env.DetailType, err)
	}
	return e, e.complete()
}

// complete requires what each detail must name.
func (e *event) complete() error {
	missing := func(what string) error { return malformed("%s without %s", e.detailType, what) }
	switch {
	case e.task != nil && (e.task.ClusterArn == "" || e.task.TaskArn == "" || e.task.LastStatus == ""):
		return missing("clusterArn, taskArn or lastStatus")
	case e.instance != nil && (e.instance.ClusterArn == "" || e.instance.ContainerInstanceArn == "" || e.instance.AgentConnected == nil):
		return missing("clusterArn, containerInstanceArn or agentConnected")
	case e.service != nil && (e.service.ClusterArn == "" || e.service.EventName == ""):
		return missing("clusterArn or eventName")
	case e.invocation != nil && (e.invocation.CommandID == "" || e.invocation.InstanceID == "" || e.invocation.Status == ""):
		return missing("command-id, instance-id or status")
	}
	return nil
}

// clusterARN is the ECS cluster an event is of ("" for SSM's).
func (e *event) clusterARN() string {
	switch {
	case e.task != nil:
		return e.task.ClusterArn
	case e.instance != nil:
		return e.instance.ClusterArn
	case e.service != nil:
		return e.service.ClusterArn
	}
	return ""
}

// portsFailure tells whether a service action is a placement failure
// for want of a port.
func (d *serviceDetail) portsFailure() bool {
	if d.EventName != eventPlacementFailure {
		return false
	}
	for _, r := range append([]string{d.Reason}, d.Reasons...) {
		if strings.HasPrefix(r, reasonPorts) {
			return true
		}
	}
	return false
}
