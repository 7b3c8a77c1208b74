package remediate

import (
	"slices"
	"testing"

	"github.com/ecswin/ecswin/internal/audit"
)

// Every reason an exit code gives a run is one the failing-repairs alerts
// know (audit.RunProblemReasons).
func TestExitReasonsAreRunProblemReasons(t *testing.T) {
	for code, c := range exitClasses {
		if !slices.Contains(audit.RunProblemReasons, c.reason) {
			t.Errorf("exit code %d gives reason %s, which audit.RunProblemReasons lacks", code, c.reason)
		}
	}
}
