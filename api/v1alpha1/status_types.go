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

	// HostIssues lists the worst hosts, at most MaxListedIssues.
	//
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	HostIssues []HostIssue `json:"hostIssues,omitempty"`

	// TaskDefinitionIssues lists the worst task definitions, at most
	// MaxListedIssues.
	//
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	TaskDefinitionIssues []TaskDefinitionIssue `json:"taskDefinitionIssues,omitempty"`
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
	// Reason is a stable CamelCase code such as RouteMissing.
	Reason string `json:"reason"`
	// Message tells the operator what is wrong and what to do.
	Message string `json:"message"`
	// ContainersLackingRoute on this host, from its last report.
	// +optional
	ContainersLackingRoute int32 `json:"containersLackingRoute,omitempty"`
}

// TaskDefinitionIssue is one task definition that needs attention.
type TaskDefinitionIssue struct {
	// Cluster where tasks of this definition run.
	Cluster string `json:"cluster"`
	// TaskDefinition is family:revision.
	TaskDefinition string `json:"taskDefinition"`
	// Reason is a stable CamelCase code such as HostPort80Conflict.
	Reason string `json:"reason"`
	// Message tells the operator what is wrong and what to do.
	Message string `json:"message"`
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
