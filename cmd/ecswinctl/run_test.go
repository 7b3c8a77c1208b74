package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// cancelOnWrite ends the loop's context as soon as the first pass is
// printed, so the loop returns instead of sleeping until the next pass.
type cancelOnWrite struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancel()
	return w.buf.Write(p)
}

// simCore is a policy for the small simulated fleet and a core to run it.
func simCore(t *testing.T) (*v1alpha1.FleetPolicy, engine.PolicyRef, *core) {
	t.Helper()
	path, _ := simPolicy(t, "Enforce")
	p, err := loadOnePolicy(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, refOf(p), simTrustCore(t)
}

// simTrustCore is a core trusting the simulator's endpoints.
func simTrustCore(t *testing.T) *core {
	t.Helper()
	var co coreOptions
	if err := simTrustOptions.apply(&co); err != nil {
		t.Fatal(err)
	}
	c, err := newCore(co)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRunLoopPassesAndServesMetrics(t *testing.T) {
	p, ref, c := simCore(t)
	var logs bytes.Buffer
	stop, addr, err := serveMetricsOn("127.0.0.1:0", c, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	ctx, cancel := context.WithCancel(context.Background())
	out := &cancelOnWrite{cancel: cancel}
	if err := loop(ctx, c.engine, ref, p.Spec, out, nil); err != nil {
		t.Fatalf("loop: %v", err)
	}
	if !strings.Contains(out.buf.String(), "in flight") {
		t.Errorf("no pass line printed: %q", out.buf.String())
	}

	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`ecswin_fleet_hosts{policy="small",state="Repairing"}`, "ecswin_aws_api_calls_total", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestRunStopsOnAnInvalidSpec(t *testing.T) {
	p, ref, c := simCore(t)
	spec := p.Spec
	spec.AWS.Region = "" // what the engine refuses without an API server's validation
	if err := loop(context.Background(), c.engine, ref, spec, io.Discard, nil); !isTerminal(err) {
		t.Fatalf("loop returned %v, want the engine's invalid-spec error", err)
	}
}

// run takes one policy: a file with several is refused, naming them,
// never cut to its first.
func TestRunRefusesSeveralPolicies(t *testing.T) {
	path, _ := simPolicy(t, "DryRun")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	two := string(raw) + "---\n" + strings.Replace(string(raw), "name: small", "name: other", 1)
	code, out, errOut := runStdin(two, "run", "-f", "-", "--metrics-bind-address", "0")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "stdin holds 2 FleetPolicies (small, other)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
