package metrics

// Namespace prefixes every ecswin metric.
const Namespace = "ecswin"

// Label names.
const (
	LabelPolicy    = "policy"
	LabelState     = "state"
	LabelService   = "service"
	LabelOperation = "operation"
	LabelResult    = "result"
	LabelCluster   = "cluster"
	LabelFamily    = "family"
	LabelReason    = "reason"
	LabelType      = "type"
	LabelKind      = "kind"
	// build_info's.
	LabelVersion         = "version"
	LabelCommit          = "commit"
	LabelBootstrapSHA256 = "route_bootstrap_sha256"
)

// Repair results (values of the result label of repairs and SSM
// invocation durations).
const (
	RepairSucceeded   = "succeeded"
	RepairStillBroken = "still_broken"
	RepairFailed      = "failed"
	RepairTimedOut    = "timed_out"
	RepairUndelivered = "undeliverable"
	RepairCancelled   = "cancelled"
	RepairUnreadable  = "report_unreadable"
	RepairChecked     = "checked"
	// RepairReported: the run did all it was allowed to, and reported
	// drift it was not allowed to change (a proxy down under hostProxy
	// Report, or for a cause ecswin never repairs).
	RepairReported = "reported"
)

// RepairResults are every value of the result label of repairs.
var RepairResults = []string{
	RepairSucceeded, RepairChecked, RepairReported, RepairStillBroken, RepairFailed,
	RepairTimedOut, RepairUndelivered, RepairCancelled, RepairUnreadable,
}

// Drift reasons (values of the reason label of drift_detected_total): the
// audit's reason codes for the two kinds of drift a run can find.
const (
	DriftRouteMissing = "RouteMissing"
	DriftProxyBroken  = "CredentialProxyBroken"
)

// DriftReasons are every value of the reason label of drift.
var DriftReasons = []string{DriftRouteMissing, DriftProxyBroken}
