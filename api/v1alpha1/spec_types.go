package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FleetPolicySpec is what the operator asks for. Every field but the
// region, the clusters and the bootstrap binary has a default.
type FleetPolicySpec struct {
	// AWS says where the clusters live and how to reach them.
	AWS AWSSpec `json:"aws"`

	// Clusters are the ECS cluster names or ARNs to watch, each once.
	//
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="size(self) >= 1",message="spec.clusters must name at least one ECS cluster"
	// +kubebuilder:validation:XValidation:rule="self.all(c, self.exists_one(d, d == c))",message="spec.clusters must not name a cluster twice: remove the duplicate entry"
	// +kubebuilder:validation:XValidation:rule="self.all(c, c.matches('^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/)?[A-Za-z0-9_-]{1,255}$'))",message="spec.clusters entries must be an ECS cluster name (letters, digits, '-' and '_', at most 255) or a cluster ARN such as arn:aws:ecs:us-east-1:123456789012:cluster/name"
	Clusters []string `json:"clusters"`

	// Route is the credential route that every NAT-mode task container
	// needs (requirement R2).
	//
	// +kubebuilder:default={}
	// +optional
	Route RouteSpec `json:"route,omitempty"`

	// Remediation says whether and how ecswin repairs what it finds.
	Remediation RemediationSpec `json:"remediation"`

	// Intervals says how often ecswin looks at the fleet.
	//
	// +kubebuilder:default={}
	// +optional
	Intervals IntervalsSpec `json:"intervals,omitempty"`

	// Port80 says how host-port-80 conflicts (requirement R6) are treated.
	//
	// +kubebuilder:default={}
	// +optional
	Port80 Port80Spec `json:"port80,omitempty"`
}

// AWSSpec locates the clusters' account and region.
type AWSSpec struct {
	// Region is the AWS region of the clusters, such as us-east-1.
	//
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z]{2}(-[a-z]+)+-[0-9]+$')",message="spec.aws.region must be an AWS region code such as us-east-1"
	Region string `json:"region"`

	// RoleARN, when set, is an IAM role that ecswin assumes to reach
	// another account.
	//
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$')",message="spec.aws.roleARN must be an IAM role ARN such as arn:aws:iam::123456789012:role/ecswin"
	// +optional
	RoleARN string `json:"roleARN,omitempty"`

	// ExternalID is passed to sts:AssumeRole when the role requires it.
	//
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=1224
	// +optional
	ExternalID string `json:"externalID,omitempty"`

	// Endpoints override the AWS service endpoints, for VPC endpoints or
	// the ecswin fleet simulator.
	//
	// +optional
	Endpoints *EndpointsSpec `json:"endpoints,omitempty"`

	// RetryMode is the SDK's retry strategy: Standard, or Adaptive, which
	// also slows the client down after throttling.
	//
	// +kubebuilder:validation:Enum=Standard;Adaptive
	// +kubebuilder:default=Standard
	// +optional
	RetryMode RetryMode `json:"retryMode,omitempty"`
}

// RetryMode is the aws-sdk-go-v2 retry strategy.
type RetryMode string

const (
	// RetryStandard is the SDK's standard retryer: backoff with jitter.
	RetryStandard RetryMode = "Standard"
	// RetryAdaptive adds client-side rate limiting after throttles.
	RetryAdaptive RetryMode = "Adaptive"
)

// EndpointsSpec overrides service endpoints. Each is an http:// or https://
// base URL.
type EndpointsSpec struct {
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^\\\\s]+$')",message="spec.aws.endpoints.ecs must be an http:// or https:// URL"
	// +optional
	ECS string `json:"ecs,omitempty"`
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^\\\\s]+$')",message="spec.aws.endpoints.ssm must be an http:// or https:// URL"
	// +optional
	SSM string `json:"ssm,omitempty"`
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^\\\\s]+$')",message="spec.aws.endpoints.sts must be an http:// or https:// URL"
	// +optional
	STS string `json:"sts,omitempty"`
}

// RouteSpec describes the route that task containers need.
type RouteSpec struct {
	// Destinations are the host routes every NAT-mode container needs:
	// the credentials endpoint and the instance metadata service.
	//
	// +kubebuilder:default={"169.254.170.2/32","169.254.169.254/32"}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=18
	// +kubebuilder:validation:XValidation:rule="self.all(d, isCIDR(d) && cidr(d).ip().family() == 4 && cidr(d).prefixLength() == 32)",message="spec.route.destinations entries must be IPv4 host routes such as 169.254.170.2/32"
	// +kubebuilder:validation:XValidation:rule="self.all(d, self.exists_one(e, e == d))",message="spec.route.destinations must not list a destination twice"
	// +optional
	Destinations []string `json:"destinations,omitempty"`

	// AdapterPattern matches the description of the container's network
	// adapter, with * and ? as wildcards. Only characters that are safe to
	// hand to Windows tools are allowed.
	//
	// +kubebuilder:default="Hyper-V Virtual Ethernet*"
	// +kubebuilder:validation:MaxLength=128
	// The character set is the SSM document's allowedPattern for this
	// parameter, so a policy the API server accepts is one SSM will run.
	//
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9 ()#._*?-]+$')",message="spec.route.adapterPattern may hold only letters, digits, spaces and ( ) # . _ * ? -; quotes, ;, &, |, $, backtick, %, brackets and newlines are not allowed"
	// +optional
	AdapterPattern string `json:"adapterPattern,omitempty"`
}

// Mode says whether ecswin changes the fleet.
type Mode string

const (
	// ModeDryRun runs route-bootstrap with --check only: nothing changes.
	ModeDryRun Mode = "DryRun"
	// ModeEnforce repairs what it finds.
	ModeEnforce Mode = "Enforce"
)

// HostProxyMode says whether the host credential proxy is repaired.
type HostProxyMode string

const (
	// HostProxyReport only reports a broken credential proxy.
	HostProxyReport HostProxyMode = "Report"
	// HostProxyEnforce re-creates the proxy, which restarts the ECS agent.
	HostProxyEnforce HostProxyMode = "Enforce"
)

// RemediationSpec says how repairs are made through SSM Run Command.
type RemediationSpec struct {
	// Mode is DryRun (report only) or Enforce (repair).
	//
	// +kubebuilder:validation:Enum=DryRun;Enforce
	// +kubebuilder:default=DryRun
	// +optional
	Mode Mode `json:"mode,omitempty"`

	// HostProxy is Report or Enforce. Enforce re-creates a dead credential
	// proxy, which restarts the ECS agent on that host; it acts only when
	// Mode is Enforce too.
	//
	// +kubebuilder:validation:Enum=Report;Enforce
	// +kubebuilder:default=Report
	// +optional
	HostProxy HostProxyMode `json:"hostProxy,omitempty"`

	// DocumentName is the SSM document that ecswin keeps up to date and runs.
	//
	// +kubebuilder:default=ecswin-route-bootstrap
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_.-]{3,128}$') && !self.startsWith('AWS') && !self.startsWith('Amazon')",message="spec.remediation.documentName must be 3-128 letters, digits, '_', '-' or '.', and must not start with AWS or Amazon"
	// +optional
	DocumentName string `json:"documentName,omitempty"`

	// Bootstrap is the route-bootstrap binary that the SSM document
	// downloads, verifies and runs.
	Bootstrap BootstrapSource `json:"bootstrap"`

	// MaxConcurrency bounds how many hosts one SSM command runs on at once.
	//
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=50
	// +optional
	MaxConcurrency int32 `json:"maxConcurrency,omitempty"`

	// MaxErrors is how many hosts of one SSM command may fail before SSM
	// stops sending it to the rest.
	//
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=50
	// +optional
	MaxErrors *int32 `json:"maxErrors,omitempty"`

	// MaxInFlight bounds how many hosts of this policy may have a command
	// in flight at once.
	//
	// +kubebuilder:default=200
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5000
	// +optional
	MaxInFlight int32 `json:"maxInFlight,omitempty"`

	// CommandTimeout is how long route-bootstrap may run on one host.
	//
	// +kubebuilder:default="10m"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('30s') && duration(self) <= duration('2h')",message="spec.remediation.commandTimeout must be between 30s and 2h"
	// +optional
	CommandTimeout metav1.Duration `json:"commandTimeout,omitzero"`
}

// BootstrapSource says where the route-bootstrap binary comes from.
type BootstrapSource struct {
	// Source is an https:// or s3:// URL of route-bootstrap.exe.
	//
	// +kubebuilder:validation:MaxLength=2048
	// The form is the SSM document's allowedPattern for this parameter, so
	// a policy the API server accepts is one SSM will run.
	//
	// +kubebuilder:validation:XValidation:rule="self.matches('^(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._~%+=/-]*([?][A-Za-z0-9._~%+=&/-]*)?|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9._~%+=/-]+)$')",message="spec.remediation.bootstrap.source must be https://host[:port]/path[?query] or s3://bucket/key, with letters, digits and . _ ~ % + = - / in the path (no spaces, quotes or shell characters)"
	Source string `json:"source"`

	// SHA256 is the binary's SHA-256 digest, 64 hex digits; the host
	// refuses to run a download that does not match.
	//
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9a-fA-F]{64}$')",message="spec.remediation.bootstrap.sha256 must be 64 hex digits: the output of sha256sum route-bootstrap.exe"
	SHA256 string `json:"sha256"`
}

// IntervalsSpec says how often ecswin looks at the fleet.
//
// +kubebuilder:validation:XValidation:rule="!has(self.reverify) || !has(self.inventory) || duration(self.reverify) >= duration(self.inventory)",message="spec.intervals.reverify must not be shorter than spec.intervals.inventory"
type IntervalsSpec struct {
	// Inventory is how often the clusters are listed again.
	//
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('10s') && duration(self) <= duration('1h')",message="spec.intervals.inventory must be between 10s and 1h"
	// +optional
	Inventory metav1.Duration `json:"inventory,omitzero"`

	// Reverify is how often every host is checked again, even one that
	// looked healthy.
	//
	// +kubebuilder:default="6h"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('5m') && duration(self) <= duration('168h')",message="spec.intervals.reverify must be between 5m and 168h"
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
	//
	// +kubebuilder:validation:Enum=Report;Ignore
	// +kubebuilder:default=Report
	// +optional
	Mode Port80Mode `json:"mode,omitempty"`

	// ExemptFamilies are task-definition families whose port-80 mappings
	// are known and accepted.
	//
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=255
	// +kubebuilder:validation:XValidation:rule="self.all(f, f.matches('^[A-Za-z0-9_-]{1,255}$'))",message="spec.port80.exemptFamilies entries must be task-definition family names: letters, digits, '-' and '_', at most 255"
	// +listType=set
	// +optional
	ExemptFamilies []string `json:"exemptFamilies,omitempty"`
}
