package remediate

import (
	"sort"
	"time"
)

// Command is one SendCommand that ecswin is following.
type Command struct {
	ID          string
	InstanceIDs []string
	SentAt      time.Time
	// RequestedAt is SSM's own time of the request, comparable with the
	// start times ECS reports for tasks.
	RequestedAt time.Time
	// Check: sent with check=true (DryRun).
	Check bool
	// RepairProxy: sent with repairProxy=true, so a broken credential
	// proxy was to be repaired (the engine's back-off and breaker judge
	// the run by it).
	RepairProxy bool
	// GiveUpAt is when a host of the command that is still not terminal
	// is given up on (delivery and execution timeouts passed, plus grace).
	GiveUpAt time.Time
	// Recovered: found in SSM after a restart rather than sent by us.
	Recovered bool
	// Ended are the hosts whose outcome was already read; Poll skips
	// them (SSM lists them until the whole command has ended).
	Ended map[string]bool
}

// Result classifies how one host's run ended.
type Result string

const (
	// ResultReport means the run printed a readable report (Report is set).
	ResultReport Result = "Report"
	// ResultUnreadable means the run ended but its report could not be read.
	ResultUnreadable Result = "ReportUnreadable"
	// ResultFailed means the script failed before route-bootstrap reported
	// (download, hash mismatch) or the report says the check errored.
	ResultFailed Result = "Failed"
	// ResultTimedOut means delivery or execution timed out.
	ResultTimedOut Result = "TimedOut"
	// ResultUndeliverable means the SSM agent could not be reached.
	ResultUndeliverable Result = "Undeliverable"
	// ResultCancelled means cancelled or terminated before finishing.
	ResultCancelled Result = "Cancelled"
	// ResultLost means SSM never showed an invocation before GiveUpAt.
	ResultLost Result = "Lost"
)

func sortCommands(cmds []Command, less func(a, b Command) bool) {
	sort.SliceStable(cmds, func(i, j int) bool { return less(cmds[i], cmds[j]) })
}
