package remediate

import (
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// The document's own exit codes and route-bootstrap's never collide, and
// none is one SSM reads as a reboot request. (What each code means to the
// controller is TestClassify's.)
func TestExitCodesAreDistinct(t *testing.T) {
	seen := map[int32]string{}
	for _, c := range []struct {
		name string
		code int
	}{
		{"healthy", report.ExitHealthy}, {"go runtime", report.ExitGoRuntime}, {"repaired", report.ExitRepaired},
		{"broken", report.ExitBroken}, {"needs operator", report.ExitNeedsOperator}, {"error", report.ExitError},
		{"usage", report.ExitUsage}, {"busy", report.ExitBusy}, {"download", ssmdoc.ExitDownloadFailed},
		{"hash", ssmdoc.ExitHashMismatch}, {"cache", ssmdoc.ExitCacheFailed}, {"blocked", ssmdoc.ExitStartBlocked},
		{"script", ssmdoc.ExitScriptFailed}, {"powershell", 1},
	} {
		if other, dup := seen[int32(c.code)]; dup {
			t.Errorf("exit code %d means both %s and %s", c.code, other, c.name)
		}
		seen[int32(c.code)] = c.name
		if c.code == 194 || c.code == 3010 {
			t.Errorf("%s uses %d, which SSM reads as a reboot request", c.name, c.code)
		}
	}
}

// TestNeedsOperatorReachesTheAudit: a report whose proxy only an operator
// can fix becomes a finding of its own, with what to do.
func TestNeedsOperatorReachesTheAudit(t *testing.T) {
	stdout := hostReport(t, report.OutcomeNeedsOperator, func(s *report.Summary) { s.ProxyReasons = []report.ProxyReason{report.ProxyExcludedPortRange} })
	r, err := ReadReport([]byte(stdout), "i-1", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !r.ProxyNeedsOperator || !strings.Contains(r.ProxyAdvice, "winnat") {
		t.Fatalf("report %+v", r)
	}
	repairable := hostReport(t, report.OutcomeBroken, func(s *report.Summary) {
		s.ProxyReasons = []report.ProxyReason{report.ProxyRuleMissing, report.ProxyAgentNotListening}
	})
	if r, err := ReadReport([]byte(repairable), "i-1", time.Unix(0, 0)); err != nil || r.ProxyNeedsOperator {
		t.Fatalf("a repairable proxy reads as needing an operator: %+v %v", r, err)
	}
}
