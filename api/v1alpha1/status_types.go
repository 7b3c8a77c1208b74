package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MaxListedIssues bounds each list of offenders in the status, so that the
// object stays small however broken the fleet is; the counts stay exact.
const MaxListedIssues = 20

// FleetPolicyStatus is what ecswin last saw and did.
type FleetPolicyStatus struct {
	// ObservedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions: Ready, derived from InventorySynced, RoutesHealthy,
	// CredentialProxyHealthy, NoPortConflicts, RemediationHealthy and
	// ProxyRepairHealthy.
	//
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// LastSyncTime is when the inventory last completed without error.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// Counts summarise the fleet.
	// +optional
	Counts FleetCounts `json:"counts,omitempty"`

	// HostIssues lists hosts that need attention, at most MaxListedIssues,
	// worst first: every reason found gets a fair share of the list (its
	// worst hosts), and a host with several problems is listed once, with
	// all of them. hostIssuesOmitted counts the hosts left out.
	//
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	HostIssues []HostIssue `json:"hostIssues,omitempty"`
	// HostIssuesOmitted is how many hosts that need attention hostIssues
	// leaves out.
	// +optional
	HostIssuesOmitted int32 `json:"hostIssuesOmitted,omitempty"`

	// TaskDefinitionIssues lists task definitions that need attention, as
	// hostIssues lists hosts: at most MaxListedIssues, a fair share per
	// reason, each revision once per cluster with all its problems.
	//
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	TaskDefinitionIssues []TaskDefinitionIssue `json:"taskDefinitionIssues,omitempty"`
	// TaskDefinitionIssuesOmitted is how many task definitions that need
	// attention taskDefinitionIssues leaves out.
	// +optional
	TaskDefinitionIssuesOmitted int32 `json:"taskDefinitionIssuesOmitted,omitempty"`
}

// FleetCounts are exact counts over every cluster of the policy.
type FleetCounts struct {
	// Clusters found and listed.
	Clusters int32 `json:"clusters"`
	// ContainerInstances of any OS.
	ContainerInstances int32 `json:"containerInstances"`
	// WindowsInstances among them.
	WindowsInstances int32 `json:"windowsInstances"`
	// TaskRoleEnabled Windows instances (the task-iam-role capability).
	TaskRoleEnabled int32 `json:"taskRoleEnabled"`
	// DriftedHosts have containers lacking the route or a broken
	// credential proxy.
	DriftedHosts int32 `json:"driftedHosts"`
	// ContainersLackingRoute over all hosts, from their last reports.
	ContainersLackingRoute int32 `json:"containersLackingRoute"`
	// Port80Conflicts are task definitions that map host port 80.
	Port80Conflicts int32 `json:"port80Conflicts"`
	// RepairsInFlight are hosts with an SSM command still running.
	RepairsInFlight int32 `json:"repairsInFlight"`
}

// HostIssue is one container instance that needs attention.
type HostIssue struct {
	// Cluster is the cluster name.
	Cluster string `json:"cluster"`
	// InstanceID is the EC2 instance ID.
	InstanceID string `json:"instanceID"`
	// Reason is a stable CamelCase code such as RouteMissing: the host's
	// worst problem.
	Reason string `json:"reason"`
	// Message tells the operator what is wrong and what to do.
	Message string `json:"message"`
	// OtherProblems are the host's other problems, worst first.
	//
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	// +optional
	OtherProblems []IssueProblem `json:"otherProblems,omitempty"`
	// ContainersLackingRoute on this host, from its last report.
	// +optional
	ContainersLackingRoute int32 `json:"containersLackingRoute,omitempty"`
}

// IssueProblem is one more problem of a listed host or task definition.
type IssueProblem struct {
	// Reason is a stable CamelCase code such as RepairFailed.
	Reason string `json:"reason"`
	// Message tells the operator what is wrong and what to do.
	Message string `json:"message"`
}

// TaskDefinitionIssue is one task definition that needs attention.
type TaskDefinitionIssue struct {
	// Cluster where tasks of this definition run.
	Cluster string `json:"cluster"`
	// TaskDefinition is family:revision.
	TaskDefinition string `json:"taskDefinition"`
	// Reason is a stable CamelCase code such as HostPort80Conflict: the
	// definition's worst problem.
	Reason string `json:"reason"`
	// Message tells the operator what is wrong and what to do.
	Message string `json:"message"`
	// OtherProblems are the definition's other problems, worst first.
	//
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	// +optional
	OtherProblems []IssueProblem `json:"otherProblems,omitempty"`
	// RunningTasks of this definition.
	// +optional
	RunningTasks int32 `json:"runningTasks,omitempty"`
}

// Condition types. Ready is the root; the rest are steps.
const (
	ConditionReady                  = "Ready"
	ConditionInventorySynced        = "InventorySynced"
	ConditionRoutesHealthy          = "RoutesHealthy"
	ConditionCredentialProxyHealthy = "CredentialProxyHealthy"
	ConditionNoPortConflicts        = "NoPortConflicts"
	ConditionRemediationHealthy     = "RemediationHealthy"
	// ConditionProxyRepairHealthy is False while the proxy-repair
	// breaker holds proxy repair back (ReasonProxyRepairSuspended).
	ConditionProxyRepairHealthy = "ProxyRepairHealthy"
)

// StepConditions are the conditions that Ready is derived from, in the
// order they are evaluated.
var StepConditions = []string{
	ConditionInventorySynced,
	ConditionRoutesHealthy,
	ConditionCredentialProxyHealthy,
	ConditionNoPortConflicts,
	ConditionRemediationHealthy,
	ConditionProxyRepairHealthy,
}

// Condition reasons, CamelCase and stable: alerts and scripts match them.
const (
	ReasonNotImplemented    = "NotImplemented"
	ReasonReconciling       = "Reconciling"
	ReasonSynced            = "Synced"
	ReasonAWSError          = "AWSError"
	ReasonInvalidSpec       = "InvalidSpec"
	ReasonAllHealthy        = "AllHealthy"
	ReasonRouteMissing      = "RouteMissing"
	ReasonProxyBroken       = "CredentialProxyBroken"
	ReasonConflictsFound    = "HostPort80Conflicts"
	ReasonNoConflicts       = "NoConflicts"
	ReasonPort80Ignored     = "Ignored"
	ReasonRepairsSucceeding = "RepairsSucceeding"
	ReasonRepairsFailing    = "RepairsFailing"
	ReasonStepsNotReady     = "StepsNotReady"
	ReasonAllStepsReady     = "AllStepsReady"
	ReasonNotYetObserved    = "NotYetObserved"
	ReasonDryRun            = "DryRun"
	// ReasonReadOnly: a read-only audit (ecswinctl audit --wait=false)
	// sent nothing, so remediation was not tried.
	ReasonReadOnly = "ReadOnly"
	// ReasonInventoryIncomplete: the inventory could not read what the
	// condition is judged from, so it is Unknown; the message says what.
	ReasonInventoryIncomplete = "InventoryIncomplete"

	// Causes of a failed AWS call (InventorySynced, RemediationHealthy);
	// AWSError is any other.
	ReasonAccessDenied        = "AccessDenied"
	ReasonCredentialsMissing  = "CredentialsMissing"
	ReasonEndpointUnreachable = "EndpointUnreachable"
	ReasonClusterNotFound     = "ClusterNotFound"
	ReasonThrottled           = "Throttled"

	// ReasonProxyRepairOff: the spec does not ask for proxy repair;
	// ReasonProxyRepairSuspended: the breaker stopped it.
	ReasonProxyRepairOff       = "ProxyRepairOff"
	ReasonProxyRepairSuspended = "ProxyRepairSuspended"

	// Refusals: the operator's trust boundary (manager flags) or the
	// ownership of the SSM document stops the policy; nothing is sent.
	ReasonEndpointNotAllowed   = "EndpointNotAllowed"
	ReasonRoleNotAllowed       = "RoleNotAllowed"
	ReasonDocumentNotOwned     = "DocumentNotOwned"
	ReasonDocumentChanged      = "DocumentChanged"
	ReasonBootstrapHashMissing = "BootstrapHashMissing"
)
