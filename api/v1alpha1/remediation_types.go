package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

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
	// HostProxyEnforce makes the missing parts of a broken credential
	// endpoint again; it never restarts the ECS agent.
	HostProxyEnforce HostProxyMode = "Enforce"
)

// RemediationSpec says how repairs are made through SSM Run Command.
type RemediationSpec struct {
	// Mode is DryRun (report only) or Enforce (repair).
	// Default DryRun.
	//
	// +kubebuilder:validation:Enum=DryRun;Enforce
	// +kubebuilder:default=DryRun
	// +optional
	Mode Mode `json:"mode,omitempty"`

	// HostProxy is Report or Enforce. Enforce makes the missing parts of a
	// broken credential endpoint again (the APIPA adapter, 169.254.170.2,
	// the portproxy rule), never restarting the ECS agent, and only for
	// causes that fixes; it acts only when Mode is Enforce too.
	// Default Report.
	//
	// +kubebuilder:validation:Enum=Report;Enforce
	// +kubebuilder:default=Report
	// +optional
	HostProxy HostProxyMode `json:"hostProxy,omitempty"`

	// DocumentName is the SSM document that ecswin creates, tags
	// (ecswin.io/managed-by=ecswin), keeps up to date and runs. It must
	// start with ecswin-, the names ecswin's IAM policy lets it write;
	// ecswin refuses to change a document of that name it did not tag.
	// Default ecswin-route-bootstrap.
	//
	// +kubebuilder:default=ecswin-route-bootstrap
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_.-]{3,128}$')",message="spec.remediation.documentName must be 3-128 letters, digits, '_', '-' or '.' (an SSM document name)"
	// +kubebuilder:validation:XValidation:rule="!self.lowerAscii().startsWith('aws') && !self.lowerAscii().startsWith('amazon') && !self.lowerAscii().startsWith('amzn')",message="spec.remediation.documentName must not start with aws, amazon or amzn (in any case): SSM reserves those prefixes for its own documents"
	// +kubebuilder:validation:XValidation:rule="self.startsWith('ecswin-')",message="spec.remediation.documentName must start with ecswin- (ecswin writes only documents it owns, and its IAM policy grants document/ecswin-*): such as ecswin-route-bootstrap"
	// +optional
	DocumentName string `json:"documentName,omitempty"`

	// Bootstrap says where hosts download route-bootstrap.exe. What the
	// binary is (its SHA-256) is not the policy's to choose: the manager
	// pins the hash of its own release in the SSM document.
	Bootstrap BootstrapSource `json:"bootstrap"`

	// MaxConcurrency bounds how many hosts one SSM command runs on at once.
	// From 1 to 50. Default 10.
	//
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=50
	// +optional
	MaxConcurrency int32 `json:"maxConcurrency,omitempty"`

	// MaxErrors is how many hosts of one SSM command may fail before SSM
	// stops sending it to the rest.
	// From 0 to 50. Default 2.
	//
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=50
	// +optional
	MaxErrors *int32 `json:"maxErrors,omitempty"`

	// MaxInFlight bounds how many hosts of this policy may have a command
	// in flight at once.
	// From 1 to 5000. Default 200.
	//
	// +kubebuilder:default=200
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5000
	// +optional
	MaxInFlight int32 `json:"maxInFlight,omitempty"`

	// CommandTimeout is how long route-bootstrap may run on one host, as
	// a duration such as 90s, 10m or 1h30m.
	// From 30s to 2h. Default 10m.
	//
	// +kubebuilder:default="10m"
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$')",message="spec.remediation.commandTimeout must be a duration such as 90s, 10m or 1h30m (a number and a unit: s, m or h)"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$') || (duration(self) >= duration('30s') && duration(self) <= duration('2h'))",message="spec.remediation.commandTimeout must be between 30s and 2h"
	// +optional
	CommandTimeout metav1.Duration `json:"commandTimeout,omitzero"`

	// ProxyRepairBreaker stops proxy repair for this policy when too many
	// of its proxy repairs do not take: broken proxies are then reported,
	// as under hostProxy Report, until the spec changes or an operator
	// sets a new value on the annotation ecswin.io/reset-breaker.
	// Default: trips when more than 50% of the hosts whose proxy ecswin
	// last tried to repair are still broken, and at least 3 of them.
	//
	// +kubebuilder:default={}
	// +optional
	ProxyRepairBreaker ProxyRepairBreakerSpec `json:"proxyRepairBreaker,omitempty"`
}

// ProxyRepairBreakerSpec says when proxy repair stops for a policy. The
// share counts the hosts whose last proxy repair left the proxy broken
// for a cause a repair fixes, among the hosts whose proxy ecswin tried to
// repair; a busy host, a failed download or a cause left to an operator
// counts neither way.
type ProxyRepairBreakerSpec struct {
	// MaxFailedPercent is the share of proxy repairs, in percent, that
	// may fail to take before proxy repair stops: more than this trips
	// the breaker. 100 never trips it.
	// From 0 to 100. Default 50.
	//
	// +kubebuilder:default=50
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	MaxFailedPercent *int32 `json:"maxFailedPercent,omitempty"`

	// MinFailed is how many hosts' proxy repairs must have failed to take
	// before the share counts, so one failure among three hosts does not
	// stop repair.
	// From 1 to 5000. Default 3.
	//
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5000
	// +optional
	MinFailed int32 `json:"minFailed,omitempty"`
}

// BootstrapSource says where hosts download route-bootstrap.exe: an
// HTTPS or S3 mirror of the release. Whatever it serves runs only if its
// SHA-256 is the one the manager pinned.
type BootstrapSource struct {
	// Source is an https:// or s3:// URL of route-bootstrap.exe. An https
	// host must be a DNS name (no IP address literals, no localhost or
	// metadata names) with a port of 1-65535; an s3 bucket must not look
	// like an IP address.
	//
	// +kubebuilder:validation:MaxLength=8192
	// +kubebuilder:validation:XValidation:rule="size(self) <= 2048",message="spec.remediation.bootstrap.source must be at most 2048 characters: an https:// or s3:// URL of route-bootstrap.exe"
	// The form is the SSM document's allowedPattern for this parameter, so
	// a policy the API server accepts is one SSM will run.
	//
	// +kubebuilder:validation:XValidation:rule="self.matches('^(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._~%+=/-]*([?][A-Za-z0-9._~%+=&/-]*)?|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9._~%+=/-]+)$')",message="spec.remediation.bootstrap.source must be https://host[:port]/path[?query] or s3://bucket/key, with letters, digits and . _ ~ % + = - / in the path (no spaces, quotes or shell characters)"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('https://') || self.matches('^https://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?[.])+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(:[0-9]+)?/')",message="spec.remediation.bootstrap.source must name its https host by a DNS name with a top-level domain, such as artifacts.example.com: IP addresses (decimal, hex or octal) and single-label names are not allowed"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^(?i)https://([^/:]*[.])?(localhost|instance-data[.]ec2[.]internal|metadata[.]google[.]internal|metadata[.]azure[.]internal)(:[0-9]+)?/')",message="spec.remediation.bootstrap.source must not name localhost or an instance metadata service: hosts would download from themselves"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('https://') || !isURL(self) || url(self).getPort() == '' || (int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535)",message="spec.remediation.bootstrap.source port must be between 1 and 65535"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('s3://') || !self.substring(5).split('/')[0].matches('^[0-9.]+$')",message="spec.remediation.bootstrap.source bucket must be an S3 bucket name, not an IP address"
	Source string `json:"source"`
}
