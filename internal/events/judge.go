package events

import (
	"strings"
	"time"
)

// Result is what became of a message (a metric label).
type Result string

// Results.
const (
	// ResultHandled: it gave a hint.
	ResultHandled Result = "handled"
	// ResultIgnored: an event of the policy's clusters that makes
	// nothing due (a task that stopped, an instance whose agent did not
	// reconnect, another service action, another document's invocation).
	ResultIgnored Result = "ignored"
	// ResultDuplicate: an event read before.
	ResultDuplicate Result = "duplicate"
	// ResultStale: an older version of a task than one read before.
	ResultStale Result = "stale"
	// ResultForeign: another cluster's, region's or account's event.
	ResultForeign Result = "foreign"
	// ResultMalformed: a body that is no event ecswin can read.
	ResultMalformed Result = "malformed"
	// ResultOversized: a body larger than any EventBridge event.
	ResultOversized Result = "oversized"
	// ResultPoison: a message received too many times without being
	// deleted (it is deleted now).
	ResultPoison Result = "poison"
)

// Scope is which events are a policy's.
type Scope struct {
	// Region is spec.aws.region.
	Region string
	// Clusters are spec.clusters: names, or ARNs (then the account
	// must match too).
	Clusters []string
	// Document is the SSM document whose invocations ecswin reads.
	Document string
}

// cluster tells whether an ECS cluster ARN is one of the scope's.
func (s Scope) cluster(arn string) bool {
	name := arn[strings.LastIndexByte(arn, '/')+1:]
	for _, c := range s.Clusters {
		if c == arn || (!strings.HasPrefix(c, "arn:") && c == name) {
			return true
		}
	}
	return false
}

// judge decides what an event is to the policy: a hint, or why not.
func (s Scope) judge(e *event, mem *memory, now time.Time) (Hint, Result) {
	if mem.duplicate(e.id, now) {
		return Hint{}, ResultDuplicate
	}
	if (e.region != "" && e.region != s.Region) || (e.source == SourceECS && !s.cluster(e.clusterARN())) {
		return Hint{}, ResultForeign
	}
	h := Hint{At: e.at, Received: now, ClusterARN: e.clusterARN()}
	switch {
	case e.task != nil:
		d := e.task
		if mem.staleTask(d.TaskArn, d.Version, now) {
			return Hint{}, ResultStale
		}
		if d.LastStatus != "RUNNING" || d.ContainerInstanceArn == "" {
			return Hint{}, ResultIgnored
		}
		h.Kind, h.ContainerInstanceARN, h.TaskARN, h.TaskDefinitionARN = HostDue, d.ContainerInstanceArn, d.TaskArn, d.TaskDefinitionArn
	case e.instance != nil:
		d := e.instance
		if !mem.reconnected(d.ContainerInstanceArn, *d.AgentConnected, d.Version, now) || d.Status == "INACTIVE" {
			return Hint{}, ResultIgnored
		}
		h.Kind, h.ContainerInstanceARN, h.InstanceID = ProxyCheck, d.ContainerInstanceArn, d.Ec2InstanceID
	case e.service != nil:
		if !e.service.portsFailure() || len(e.resources) == 0 {
			return Hint{}, ResultIgnored
		}
		h.Kind, h.ServiceARN = TaskDefinitionDue, e.resources[0]
	case e.invocation != nil:
		d := e.invocation
		if d.DocumentName != s.Document || !finished(d.Status) {
			return Hint{}, ResultIgnored
		}
		h.Kind, h.CommandID, h.InstanceID, h.Status = InvocationReady, d.CommandID, d.InstanceID, d.Status
	default:
		return Hint{}, ResultIgnored
	}
	return h, ResultHandled
}

// finished tells a terminal invocation status apart.
func finished(status string) bool {
	switch status {
	case "Success", "Failed", "TimedOut", "Cancelled":
		return true
	}
	return false
}
