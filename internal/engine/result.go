package engine

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
)

// PolicyRef names a policy: its namespace and name in Kubernetes, or an
// empty namespace and the file name in ecswinctl.
type PolicyRef struct {
	Namespace string
	Name      string
}

// String is namespace/name, or name alone without a namespace.
func (r PolicyRef) String() string {
	if r.Namespace == "" {
		return r.Name
	}
	return r.Namespace + "/" + r.Name
}

// HostState is the one state each Windows host is in after a pass.
type HostState string

const (
	// HostHealthy means its last report found nothing wrong.
	HostHealthy HostState = "Healthy"
	// HostDrifted means containers lack the route or the proxy is broken.
	HostDrifted HostState = "Drifted"
	// HostRepairing means an SSM command is in flight on it.
	HostRepairing HostState = "Repairing"
	// HostUnverified means no report read yet.
	HostUnverified HostState = "Unverified"
	// HostUnreachable means SSM cannot reach it (agent offline, not managed,
	// or ECS gave no instance ID).
	HostUnreachable HostState = "Unreachable"
	// HostReportUnreadable means its last command ran but the report could not
	// be read.
	HostReportUnreadable HostState = "ReportUnreadable"
	// HostRepairFailed means its last command failed, timed out or was not
	// delivered.
	HostRepairFailed HostState = "RepairFailed"
)

// HostStates lists every HostState, in the order tables show them.
var HostStates = []HostState{
	HostHealthy, HostDrifted, HostRepairing, HostUnverified,
	HostUnreachable, HostReportUnreadable, HostRepairFailed,
}

// StepCondition is the input for one step condition of the status. The
// adapter adds ObservedGeneration and LastTransitionTime.
type StepCondition struct {
	// Type is one of v1alpha1.StepConditions.
	Type    string
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

// Event types, as Kubernetes spells them.
const (
	EventNormal  = "Normal"
	EventWarning = "Warning"
)

// Event is something notable that happened in this pass, for a
// Kubernetes Event or a CLI line. Key is stable for the same kind of fact
// so the adapter can leave out a repeat (same key, same message).
type Event struct {
	Type    string
	Reason  string
	Message string
	Key     string
	// Command is the SSM command an event of runs' ends is about (its
	// Kubernetes Event's related object, so events of different commands
	// stay apart in client-go's aggregation); "" for the others.
	Command string
	// Hosts is how many hosts the event counts (named or summed up in
	// its message), 0 when it counts none.
	Hosts int
}

// Event reasons.
const (
	EventRepairSucceeded = "RepairSucceeded"
	EventRepairFailed    = "RepairFailed"
	// EventProxyBroken: a run found the credential proxy down and was
	// not allowed to repair it (hostProxy Report, or a cause ecswin never
	// repairs): reported, not failed.
	EventProxyBroken         = "CredentialProxyBroken"
	EventDriftDetected       = "DriftDetected"
	EventReportUnreadable    = "ReportUnreadable"
	EventCommandsSent        = "RepairCommandsSent"
	EventDocumentUpdated     = "DocumentUpdated"
	EventInFlightRecovered   = "InFlightCommandsRecovered"
	EventLastRunsRecovered   = "LastRunsRecovered"
	EventInventoryIncomplete = "InventoryIncomplete"
	// EventAccessDenied names an IAM action AWS refused ecswin's
	// identity, and what to grant.
	EventAccessDenied = "AWSAccessDenied"
)

// Result is what one Pass found and did. It is filled as far as the pass
// got, also when Pass returns an error.
type Result struct {
	// At is the pass's time from the injected clock.
	At time.Time
	// Inventoried: this pass listed the fleet again. In a poll-only pass
	// (commands in flight, inventory not yet due) the fleet facts are
	// those of the last inventory.
	Inventoried bool
	// LastSyncTime is when an inventory last completed without error;
	// zero if never.
	LastSyncTime time.Time
	// InventoryInterval is the spec's inventory interval after defaults:
	// how often a complete inventory should come (a metric, so alerts on
	// LastSyncTime can scale with it).
	InventoryInterval time.Duration

	// Counts are exact over the whole fleet.
	Counts v1alpha1.FleetCounts
	// HostStates counts Windows hosts by state; every state is present.
	HostStates map[HostState]int

	// HostIssues and TaskDefinitionIssues are the hosts and revisions
	// that need attention, at most v1alpha1.MaxListedIssues each, a fair
	// share per reason (audit.HostIssues); the Omitted counts say how
	// many each leaves out, the totals count findings, exactly.
	HostIssues                  []v1alpha1.HostIssue
	TaskDefinitionIssues        []v1alpha1.TaskDefinitionIssue
	HostIssuesOmitted           int
	TaskDefinitionIssuesOmitted int
	HostIssuesTotal             int
	TaskDefinitionIssuesTotal   int
	// Findings are all findings, worst first (ecswinctl prints them).
	Findings []audit.Finding

	// Conditions has one entry per v1alpha1.StepConditions, same order.
	Conditions []StepCondition
	// Events are the notable facts of this pass.
	Events []Event

	// CommandsSent and HostsTargeted count what this pass sent to SSM.
	CommandsSent  int
	HostsTargeted int
	// ReadyAttributesSet and ReadyAttributesRemoved count hosts whose
	// ecswin.io/credentials=ready attribute this pass put or removed
	// (Enforce only).
	ReadyAttributesSet     int
	ReadyAttributesRemoved int

	// RequeueAfter is when the next pass should run: a short poll delay
	// while commands are in flight, else the inventory interval.
	RequeueAfter time.Duration
}

// Condition is the step condition of type typ, or a zero one.
func (r Result) Condition(typ string) StepCondition {
	for _, c := range r.Conditions {
		if c.Type == typ {
			return c
		}
	}
	return StepCondition{}
}
