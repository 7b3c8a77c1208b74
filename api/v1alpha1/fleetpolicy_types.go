package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FleetPolicy names the ECS clusters whose Windows container instances
// ecswin keeps fit for IAM roles for tasks, what it checks there and
// whether and how fast it repairs what it finds. kubectl get shows its
// mode, fleet, drift, conflicts, readiness and last complete inventory;
// -o wide adds every container instance, the task-role capability, the
// repairs in flight and the reason behind Ready.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=fp,categories=ecswin
// +kubebuilder:printcolumn:name="Mode",type=string,JSONPath=`.spec.remediation.mode`
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.spec.aws.region`
// +kubebuilder:printcolumn:name="Clusters",type=integer,JSONPath=`.status.counts.clusters`
// +kubebuilder:printcolumn:name="Hosts",type=integer,JSONPath=`.status.counts.windowsInstances`,description="Windows container instances"
// +kubebuilder:printcolumn:name="Drifted",type=integer,JSONPath=`.status.counts.driftedHosts`
// +kubebuilder:printcolumn:name="Conflicts",type=integer,JSONPath=`.status.counts.port80Conflicts`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Last Sync",type=date,JSONPath=`.status.lastSyncTime`,description="last complete inventory"
// +kubebuilder:printcolumn:name="Instances",type=integer,JSONPath=`.status.counts.containerInstances`,priority=1,description="container instances of every OS"
// +kubebuilder:printcolumn:name="Task Roles",type=integer,JSONPath=`.status.counts.taskRoleEnabled`,priority=1,description="Windows hosts with the task-iam-role capability"
// +kubebuilder:printcolumn:name="In Flight",type=integer,JSONPath=`.status.counts.repairsInFlight`,priority=1,description="hosts with a route-bootstrap run in flight"
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1,description="why Ready is what it is"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type FleetPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   FleetPolicySpec   `json:"spec"`
	Status FleetPolicyStatus `json:"status,omitempty"`
}

// FleetPolicyList is a list of FleetPolicy.
//
// +kubebuilder:object:root=true
type FleetPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []FleetPolicy `json:"items"`
}
