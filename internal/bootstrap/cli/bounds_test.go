package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// TestHostBusy: a second host run while one holds the machine exits with
// its own code and checks nothing.
func TestHostBusy(t *testing.T) {
	h := hostSetup{bare: 1}.build()
	release, err := h.AcquireRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, h, "host")
	if r.code != report.ExitBusy || r.stdout != "" || !strings.Contains(r.stderr, "busy") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	if h.ContainersLackingRoute() != 1 {
		t.Error("a busy run changed the host")
	}
	release()
	if r := runCLI(t, h, "host"); r.code != report.ExitRepaired {
		t.Fatalf("after the first run ended: exit %d", r.code)
	}
}

// TestHostDeadline: at --timeout the run stops starting containers and
// still reports; the container it was in is stopped by the run's
// deadline, not its own exec bound, and nothing is left behind.
func TestHostDeadline(t *testing.T) {
	h := hostSetup{hanging: 3}.build()
	r := runCLI(t, h, "host", "--timeout", "500ms", "--parallel", "1", "--exec-timeout", "1h")
	if r.code != report.ExitBroken {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	rep := mustParse(t, r)
	if rep.Summary.ContainersChecked != 3 || rep.Summary.ContainersFailed != 3 {
		t.Errorf("summary %+v", rep.Summary)
	}
	var deadline, notRun int
	for _, c := range rep.Containers {
		switch {
		case strings.Contains(c.Message, "stopped at the run's deadline"):
			deadline++
		case strings.Contains(c.Message, "not checked: the run's deadline"):
			notRun++
		}
	}
	if deadline != 1 || notRun != 2 {
		t.Errorf("%d stopped at the deadline, %d not run; want 1 and 2: %+v", deadline, notRun, rep.Containers)
	}
	if h.BinariesLeft() != 0 {
		t.Error("a copy was left behind")
	}
}

// TestHostRepairNeedsTime: a proxy repair is not started with less than
// its budget left, so a deadline never cuts it halfway.
func TestHostRepairNeedsTime(t *testing.T) {
	h := hostSetup{faults: []memos.ProxyFault{memos.ProxyAddressNotUp}}.build()
	r := runCLI(t, h, "host", "--repair-proxy", "--timeout", "1m")
	rep := mustParse(t, r)
	if r.code != report.ExitBroken || len(rep.Proxy.Repairs) != 0 || h.ProxyHealthy() {
		t.Fatalf("exit %d repairs %q", r.code, rep.Proxy.Repairs)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "less than 2m0s of the run left") {
		t.Errorf("problems %q", rep.Problems)
	}
}

// TestNeedsOperatorText: the text report says what to do.
func TestNeedsOperatorText(t *testing.T) {
	h := hostSetup{faults: []memos.ProxyFault{memos.ProxyExcludedPortRange}}.build()
	r := runCLI(t, h, "host", "--format", "text", "--repair-proxy")
	for _, want := range []string{"route-bootstrap host: NeedsOperator", "excluded port range 51661-51760 covers the agent's ports", "net stop winnat"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != report.ExitNeedsOperator {
		t.Errorf("exit %d", r.code)
	}
}

// TestHostileCopyMessage: the refused copy's line names its owner.
func TestHostileCopyMessage(t *testing.T) {
	h := hostSetup{hostile: 1}.build()
	rep := mustParse(t, runCLI(t, h, "host"))
	if len(rep.Containers) != 1 || !strings.Contains(rep.Containers[0].Message, `owned by "User Manager\\ContainerUser"`) {
		t.Errorf("containers %+v", rep.Containers)
	}
}
