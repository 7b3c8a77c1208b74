package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// signalWriter collects output and closes ready once it holds marker.
type signalWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	once   sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.once.Do(func() { close(w.ready) })
	}
	return n, err
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// simulate prints the exports and a policy for its fleet; audit, given
// that policy as it is, reads the simulated fleet.
func TestSimulatePrintsAUsablePolicy(t *testing.T) {
	simPolicy(t, "DryRun") // only for its AWS environment
	path := filepath.Join(t.TempDir(), "sim.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &signalWriter{marker: "serving until interrupted", ready: make(chan struct{})}
	done := make(chan int)
	go func() {
		done <- run(ctx, streams{in: strings.NewReader(""), out: out, err: out}, []string{"simulate", "--scenario", "small", "--write-policy", path})
	}()
	select {
	case <-out.ready:
	case code := <-done:
		t.Fatalf("simulate exited %d:\n%s", code, out.String())
	case <-time.After(time.Minute):
		t.Fatalf("simulate printed nothing in a minute:\n%s", out.String())
	}
	text := out.String()
	for _, want := range []string{"export AWS_ENDPOINT_URL_ECS=http://127.0.0.1:", "export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:", "export AWS_REGION=",
		"kind: FleetPolicy", "clusters: [windows, linux]", "/123456789012/ecswin-events, fed by config/aws's EventBridge rules",
		"queueURL: http://127.0.0.1:"} {
		if !strings.Contains(text, want) {
			t.Errorf("simulate's output lacks %q:\n%s", want, text)
		}
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, string(written)) {
		t.Errorf("the policy printed is not the one written:\n%s", written)
	}
	if _, err := policyfile.Parse(written); err != nil {
		t.Fatalf("the printed policy does not validate: %v", err)
	}

	code, js, errOut := runStdin("", append([]string{"audit", "-f", path, "-o", "json", "--wait=false"}, simTrust...)...)
	rep := decodeAudit(t, []byte(js), code)
	if code != cliout.ExitFindings || rep.Policies[0].Counts.WindowsInstances != 10 {
		t.Errorf("audit of the printed policy: exit %d, %+v; stderr %s", code, rep.Policies, errOut)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("simulate exited %d after its context ended", code)
	}
}
