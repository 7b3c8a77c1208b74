package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// simPolicy starts the small scenario and writes a policy file for it.
func simPolicy(t *testing.T, mode string) (string, *fleetsim.Sim) {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := fleetsim.New(fleetsim.Options{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	// httptest can drop the SDK's idle connections at once; the
	// simulator's own Start would wait for them on stopping.
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	url := srv.URL
	dir := t.TempDir()
	// The SDK's default chain must find the simulator's dummy keys and
	// no profile of the machine it runs on.
	t.Setenv("AWS_ACCESS_KEY_ID", simAccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", simSecretAccessKey)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_PROFILE", "")
	doc := fmt.Sprintf(`apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata: {name: small}
spec:
  aws:
    region: %s
    endpoints: {ecs: %q, ssm: %q}
  clusters: [windows, linux]
  route: {destinations: [169.254.170.2/32, 169.254.169.254/32]}
  remediation:
    mode: %s
    bootstrap:
      source: https://example.com/route-bootstrap.exe
`, sim.Region(), url, url, mode)
	path := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, sim
}

func TestAuditReportsFindingsAndChangesNothing(t *testing.T) {
	// Enforce in the file: audit must still only check.
	policy, sim := simPolicy(t, "Enforce")
	before := sim.FleetSummary()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"audit", "--policy", policy, "-o", "json", "--wait=false"}, simTrust...), &out, &errOut)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (findings); stderr %s", code, exitFindings, errOut.String())
	}
	var rep cliout.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out.String())
	}
	if rep.Counts.WindowsInstances != 10 || rep.Counts.Port80Conflicts == 0 || len(rep.Findings) == 0 {
		t.Errorf("report = counts %+v, %d findings; want 10 Windows hosts and port-80 conflicts", rep.Counts, len(rep.Findings))
	}
	after := sim.FleetSummary()
	after.CommandsRun = before.CommandsRun
	if before != after {
		t.Errorf("audit changed the fleet:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestAuditTableAndErrors(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), append([]string{"audit", "--policy", policy, "--wait=false"}, simTrust...), &out, &errOut); code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFindings, errOut.String())
	}
	for _, want := range []string{"SEVERITY", "HostPort80Conflict", "NoPortConflicts"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}

	tests := map[string][]string{
		"no policy":      {"audit"},
		"missing file":   {"audit", "--policy", filepath.Join(t.TempDir(), "absent.yaml")},
		"bad output":     {"audit", "--policy", policy, "-o", "yaml"},
		"stray argument": {"audit", "--policy", policy, "extra"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), args, &out, &errOut); code != exitFailed {
				t.Errorf("exit %d, want %d; stderr %s", code, exitFailed, errOut.String())
			}
		})
	}
}

func TestAuditWaitsForTheChecks(t *testing.T) {
	policy, sim := simPolicy(t, "Enforce")
	sim.SetSSMTiming(fleetsim.SSMTiming{Visibility: 1e6, Delivery: 1e6, Execution: 1e6})
	drifted := len(sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}))
	before := simtest.WindowsHosts(sim)
	var progress bytes.Buffer
	res, _, err := auditPass(context.Background(), auditOptions{policy: policy, wait: true, timeout: time.Minute, poll: 20 * time.Millisecond, trust: simTrustOptions}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.RepairsInFlight != 0 || res.HostStates[engine.HostUnverified] != 0 {
		t.Fatalf("audit returned with checks outstanding: %+v %v", res.Counts, res.HostStates)
	}
	if int(res.Counts.DriftedHosts) != drifted {
		t.Errorf("audit found %d drifted hosts, the simulator has %d", res.Counts.DriftedHosts, drifted)
	}
	simtest.RequireOnlyChecksRan(t, sim, before)
	if !strings.Contains(progress.String(), "checking") {
		t.Errorf("no progress shown: %q", progress.String())
	}
}

// A cluster that cannot be read makes the audit incomplete, never clean.
func TestAuditOfAMissingClusterIsNotClean(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	raw, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, []byte(strings.Replace(string(raw), "clusters: [windows, linux]", "clusters: [nope]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), append([]string{"audit", "--policy", policy, "--wait=false"}, simTrust...), &out, &errOut); code != exitFailed {
		t.Fatalf("exit %d, want %d; stdout %s", code, exitFailed, out.String())
	}
	if !strings.Contains(errOut.String(), "incomplete") || !strings.Contains(errOut.String(), "nope") {
		t.Errorf("stderr does not say what was missed: %q", errOut.String())
	}
}
