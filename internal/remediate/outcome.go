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
	// Reason is the audit reason of a run that ended without a report
	// when it has one of its own (the document's exit codes); "" leaves
	// it to the Result.
	Reason string
	// Message says why, for every result but a readable report.
	Message string
	// Took is from sending to the run's end, when known.
	Took time.Duration
}
