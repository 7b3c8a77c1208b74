package audit

// Severity orders findings so the worst come first in bounded lists.
type Severity int

// Severities, least to worst.
const (
	SeverityHint Severity = iota
	SeverityWarning
	SeverityError
)

// Subject says what a finding is about.
type Subject string

// Subjects: a host or a task definition.
const (
	SubjectHost           Subject = "Host"
	SubjectTaskDefinition Subject = "TaskDefinition"
)

// Finding is one thing wrong (or worth a hint) in the fleet.
type Finding struct {
	// Rule is the platform requirement it checks: R1, R2, R5, R6, Proxy,
	// Report or Hint.
	Rule     string
	Reason   string
	Severity Severity
	Subject  Subject
	Cluster  string
	// InstanceID is set for host findings.
	InstanceID string
	// TaskDefinition (family:revision) and Family are set for task
	// definition findings.
	TaskDefinition string
	Family         string
	// Count is the number of containers (host findings) or running tasks
	// (task-definition findings) concerned.
	Count   int
	Message string
}

// Reason codes, stable: alerts, scripts and status readers match them.
const (
	ReasonCapabilityMissing  = "TaskRoleCapabilityMissing"
	ReasonRouteMissing       = "RouteMissing"
	ReasonProxyBroken        = "CredentialProxyBroken"
	ReasonTaskRoleMissing    = "TaskRoleMissing"
	ReasonHostPort80Conflict = "HostPort80Conflict"
	ReasonHostPort80Running  = "HostPort80TaskRunning"
	ReasonAWSVPCHint         = "ConsiderAwsvpc"
	ReasonReportUnreadable   = "ReportUnreadable"
	ReasonSSMUnreachable     = "SSMUnreachable"
	ReasonAgentDisconnected  = "AgentDisconnected"
	ReasonHostDataIncomplete = "HostDataIncomplete"
	ReasonRepairFailed       = "RepairFailed"
	ReasonNotYetVerified     = "NotYetVerified"
	// Runs that ended without a report, by the document's or
	// route-bootstrap's exit code.
	ReasonBootstrapDownloadFailed = "BootstrapDownloadFailed"
	ReasonBootstrapHashMismatch   = "BootstrapHashMismatch"
	ReasonBootstrapCacheFailed    = "BootstrapCacheFailed"
	ReasonBootstrapBlocked        = "BootstrapBlocked"
	ReasonBootstrapCrashed        = "BootstrapCrashed"
	ReasonHostBusy                = "HostBusy"
	// ReasonRepairNotTaking: several runs in a row did not repair the
	// host, so it is retried only with a long back-off.
	ReasonRepairNotTaking = "RepairNotTaking"
	// ReasonProxyNeedsOperator: the proxy is down for a cause ecswin only
	// reports (an excluded port range, the agent not listening, iphlpsvc
	// stopped, 169.254.170.2 on an adapter it does not own).
	ReasonProxyNeedsOperator = "CredentialProxyNeedsOperator"
)

// RunProblemReasons are every reason LastRunRule gives: why a host's
// last run ended without a usable report. The failing-repairs alerts
// match exactly these (config/prometheus tests it), so a new reason for
// a run that fails belongs here.
var RunProblemReasons = []string{
	ReasonRepairFailed, ReasonReportUnreadable,
	ReasonBootstrapDownloadFailed, ReasonBootstrapHashMismatch, ReasonBootstrapCacheFailed,
	ReasonBootstrapBlocked, ReasonBootstrapCrashed, ReasonHostBusy,
}

// Rule names.
const (
	RuleCapability = "R1"
	RuleRoute      = "R2"
	RuleProxy      = "Proxy"
	RuleTaskRole   = "R5"
	RulePort80     = "R6"
	RuleHint       = "Hint"
	RuleReport     = "Report"
)
