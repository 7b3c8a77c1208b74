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
)
