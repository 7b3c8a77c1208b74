package fleetsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/ecsapi"
	"github.com/ecswin/ecswin/internal/fleetsim/eventbus"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/ssmapi"
)

// The EventBridge events of ECS and Run Command, with the detail types
// and detail shapes their user guides document.
const (
	SourceECS = "aws.ecs"
	SourceSSM = "aws.ssm"

	DetailTaskStateChange     = "ECS Task State Change"
	DetailInstanceStateChange = "ECS Container Instance State Change"
	DetailServiceAction       = "ECS Service Action"
	DetailInvocationStatus    = "EC2 Command Invocation Status-change Notification"

	EventPlacementFailure = "SERVICE_TASK_PLACEMENT_FAILURE"
)

// publisher turns the fleet's and SSM's changes into events on the bus.
type publisher struct{ s *Sim }

var _ fleet.Observer = publisher{}

func (p publisher) now() time.Time { return p.s.fleet.Now() }

// TaskChanged publishes the task's state change, and the container
// instance's (its remaining resources changed), as ECS does.
func (p publisher) TaskChanged(t *fleet.Task) {
	if !p.s.bus.Active() {
		return
	}
	detail := isoTimes(ecsapi.TaskDetail(t), "createdAt", "startedAt", "stoppedAt", "updatedAt")
	detail["updatedAt"] = p.now().UTC().Format(eventbus.DetailTimeFormat)
	p.s.bus.Publish(p.now(), SourceECS, DetailTaskStateChange, []string{t.ARN()}, detail)
	p.InstanceChanged(t.Instance)
}

// InstanceChanged publishes the container instance's state change.
func (p publisher) InstanceChanged(i *fleet.Instance) {
	if !p.s.bus.Active() {
		return
	}
	detail := isoTimes(ecsapi.InstanceDetail(i), "registeredAt")
	detail["clusterArn"] = i.Cluster.ARN
	detail["updatedAt"] = p.now().UTC().Format(eventbus.DetailTimeFormat)
	p.s.bus.Publish(p.now(), SourceECS, DetailInstanceStateChange, []string{i.ARN()}, detail)
}

// PlacementFailed publishes the service scheduler's placement failure.
func (p publisher) PlacementFailed(c *fleet.Cluster, s *fleet.Service, reason string) {
	if !p.s.bus.Active() {
		return
	}
	p.s.bus.Publish(p.now(), SourceECS, DetailServiceAction, []string{s.ARN}, map[string]any{
		"eventType":  "ERROR",
		"eventName":  EventPlacementFailure,
		"clusterArn": c.ARN,
		"reason":     reason,
		"createdAt":  p.now().UTC().Format(eventbus.DetailTimeFormat),
	})
}

// invocationChanged publishes an invocation's status change.
func (p publisher) invocationChanged(c ssmapi.InvocationChange) {
	if !p.s.bus.Active() {
		return
	}
	f := p.s.fleet
	p.s.bus.Publish(c.At, SourceSSM, DetailInvocationStatus,
		[]string{"arn:aws:ec2:" + f.Region + ":" + f.AccountID + ":instance/" + c.InstanceID},
		map[string]any{
			"command-id":          c.CommandID,
			"document-name":       c.DocumentName,
			"instance-id":         c.InstanceID,
			"requested-date-time": c.Requested.UTC().Format(eventbus.DetailTimeFormat),
			"status":              c.Status,
		})
}

// isoTimes re-encodes an API object as an event detail: the named
// timestamps become ISO strings, as the events carry them.
func isoTimes(v any, fields ...string) map[string]any {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fleetsim: encoding an event detail: %v", err))
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		panic(fmt.Sprintf("fleetsim: decoding an event detail: %v", err))
	}
	for _, f := range fields {
		n, ok := out[f].(json.Number)
		if !ok {
			continue
		}
		secs, err := n.Float64()
		if err != nil {
			continue
		}
		out[f] = time.UnixMilli(int64(secs * 1000)).UTC().Format(eventbus.DetailTimeFormat)
	}
	return out
}
