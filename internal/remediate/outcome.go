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
	// Took is from sending to reading the end, when known.
	Took time.Duration
}
