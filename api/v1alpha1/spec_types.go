package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FleetPolicySpec is what the operator asks for. Every field but the
// region, the clusters and the bootstrap source has a default.
//
// A cluster named by ARN must be in spec.aws.region: one policy reads one
// region.
//
// +kubebuilder:validation:XValidation:rule="self.clusters.all(c, !c.startsWith('arn:') || size(c.split(':')) < 4 || c.split(':')[3] == self.aws.region)",messageExpression="'spec.clusters entry ' + self.clusters.filter(c, c.startsWith('arn:') && size(c.split(':')) >= 4 && c.split(':')[3] != self.aws.region)[0] + ' is a cluster in another region than spec.aws.region (' + self.aws.region + '): one policy reads one region, so name it in a policy for its own region'"
type FleetPolicySpec struct {
	// AWS says where the clusters live and how to reach them.
	AWS AWSSpec `json:"aws"`

	// Clusters are the ECS cluster names or ARNs to watch, each once
	// (a name and the ARN of the same cluster count as the same cluster).
	// From 1 to 50 names or ARNs. Required.
	//
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="size(self) >= 1",message="spec.clusters must name at least one ECS cluster"
	// +kubebuilder:validation:XValidation:rule="self.all(c, c.matches('^(arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):ecs:[a-z0-9-]+:[0-9]{12}:cluster/)?[A-Za-z0-9_-]{1,255}$'))",messageExpression="'spec.clusters entry ' + self.filter(c, !c.matches('^(arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):ecs:[a-z0-9-]+:[0-9]{12}:cluster/)?[A-Za-z0-9_-]{1,255}$'))[0] + ' must be an ECS cluster name (letters, digits, - and _, at most 255) or a cluster ARN such as arn:aws:ecs:us-east-1:123456789012:cluster/name'"
	// +kubebuilder:validation:XValidation:rule="self.all(c, self.exists_one(d, (d.startsWith('arn:') ? d.substring(d.lastIndexOf('/') + 1) : d) == (c.startsWith('arn:') ? c.substring(c.lastIndexOf('/') + 1) : c)))",messageExpression="'spec.clusters names cluster ' + self.map(c, c.startsWith('arn:') ? c.substring(c.lastIndexOf('/') + 1) : c).filter(n, self.filter(d, (d.startsWith('arn:') ? d.substring(d.lastIndexOf('/') + 1) : d) == n).size() > 1)[0] + ' more than once (a name and its ARN are the same cluster): keep one entry'"
	Clusters []string `json:"clusters"`

	// Route is the credential route that every NAT-mode task container
	// needs (requirement R2).
	// Default: the credential route alone (see destinations).
	//
	// +kubebuilder:default={}
	// +optional
	Route RouteSpec `json:"route,omitempty"`

	// Remediation says whether and how ecswin repairs what it finds.
	Remediation RemediationSpec `json:"remediation"`

	// Intervals says how often ecswin looks at the fleet.
	// Default: inventory 1m, reverify 6h.
	//
	// +kubebuilder:default={}
	// +optional
	Intervals IntervalsSpec `json:"intervals,omitempty"`

	// Port80 says how host-port-80 conflicts (requirement R6) are treated.
	// Default: Report, no family exempt.
	//
	// +kubebuilder:default={}
	// +optional
	Port80 Port80Spec `json:"port80,omitempty"`

	// Events, when set, is an SQS queue of the clusters' ECS and SSM
	// events, so that ecswin acts on a change at once instead of at the
	// next inventory.
	//
	// +optional
	Events *EventsSpec `json:"events,omitempty"`
}

// IntervalsSpec says how often ecswin looks at the fleet. Durations are
// Go durations: a number and a unit (ns, us, ms, s, m, h), repeated, such
// as 90s, 10m or 1h30m.
//
// +kubebuilder:validation:XValidation:rule="!has(self.reverify) || !has(self.inventory) || !self.reverify.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$') || !self.inventory.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$') || duration(self.reverify) >= duration(self.inventory)",message="spec.intervals.reverify must not be shorter than spec.intervals.inventory"
type IntervalsSpec struct {
	// Inventory is how often the clusters are listed again.
	// A duration such as 90s, 10m or 1h30m, from 10s to 1h. Default 1m.
	//
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$')",message="spec.intervals.inventory must be a duration such as 90s, 10m or 1h30m (a number and a unit: s, m or h)"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$') || (duration(self) >= duration('10s') && duration(self) <= duration('1h'))",message="spec.intervals.inventory must be between 10s and 1h"
	// +optional
	Inventory metav1.Duration `json:"inventory,omitzero"`

	// Reverify is how often every host is checked again, even one that
	// looked healthy.
	// A duration such as 30m, 6h or 1h30m, from 5m to 168h and not shorter than inventory. Default 6h.
	//
	// +kubebuilder:default="6h"
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$')",message="spec.intervals.reverify must be a duration such as 30m, 6h or 1h30m (a number and a unit: s, m or h)"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$') || (duration(self) >= duration('5m') && duration(self) <= duration('168h'))",message="spec.intervals.reverify must be between 5m and 168h"
	// +optional
	Reverify metav1.Duration `json:"reverify,omitzero"`
}

// Port80Mode says whether host-port-80 conflicts are reported.
type Port80Mode string

const (
	// Port80Report reports every host-port-80 conflict.
	Port80Report Port80Mode = "Report"
	// Port80Ignore turns the port-80 audit off.
	Port80Ignore Port80Mode = "Ignore"
)

// Port80Spec says how host-port-80 conflicts are treated.
type Port80Spec struct {
	// Mode is Report or Ignore.
	// Default Report.
	//
	// +kubebuilder:validation:Enum=Report;Ignore
	// +kubebuilder:default=Report
	// +optional
	Mode Port80Mode `json:"mode,omitempty"`

	// ExemptFamilies are task-definition families whose port-80 mappings
	// are known and accepted.
	// Family names (letters, digits, - and _, no :revision), at most 100. Default: none.
	//
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="self.all(f, f.matches('^[A-Za-z0-9_-]{1,255}$'))",messageExpression="'spec.port80.exemptFamilies entry ' + self.filter(f, !f.matches('^[A-Za-z0-9_-]{1,255}$'))[0] + ' must be a task-definition family name: letters, digits, - and _, at most 255 (no :revision)'"
	// +listType=set
	// +optional
	ExemptFamilies []string `json:"exemptFamilies,omitempty"`
}
