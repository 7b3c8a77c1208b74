package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FleetPolicy names the ECS clusters whose Windows container instances
// ecswin keeps fit for IAM roles for tasks, what it checks there and
// whether and how fast it repairs what it finds.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=fp,categories=ecswin
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.spec.aws.region`
// +kubebuilder:printcolumn:name="Clusters",type=integer,JSONPath=`.status.counts.clusters`
// +kubebuilder:printcolumn:name="Hosts",type=integer,JSONPath=`.status.counts.windowsInstances`
// +kubebuilder:printcolumn:name="Drifted",type=integer,JSONPath=`.status.counts.driftedHosts`
// +kubebuilder:printcolumn:name="Conflicts",type=integer,JSONPath=`.status.counts.port80Conflicts`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
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
