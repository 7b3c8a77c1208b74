package remediate

import (
	"time"

	"github.com/ecswin/ecswin/internal/inventory"
)

// Outcome is how one host's run of one command ended.
type Outcome struct {
	InstanceID string
	CommandID  string
	Result     Result
	// Report is set when Result is ResultReport.
	Report *inventory.HostReport
	// Message says why, for every result but a readable report.
	Message string
	// Reason is the audit reason of a run that ended without a report
	// when its exit code has one of its own (download failed, hash
	// mismatch, blocked, busy, crash...); "" leaves it to the result.
	Reason string
	// Took is from sending to reading the end, when known.
	Took time.Duration
}
