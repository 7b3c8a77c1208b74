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

// smallSim is a simulator of the small scenario, not serving yet.
func smallSim(t *testing.T) *fleetsim.Sim {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := fleetsim.New(fleetsim.Options{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// simPolicy starts the small scenario and writes a policy file for it.
func simPolicy(t *testing.T, mode string) (string, *fleetsim.Sim) {
	t.Helper()
	sim := smallSim(t)
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

// decodeReport decodes a command's JSON report and checks the
// contract's envelope.
func decodeReport[R any](t *testing.T, out []byte, kind string, code int) R {
	t.Helper()
	var rep R
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out)
	}
	requireEnvelope(t, out, kind, code)
	return rep
}

func decodeAudit(t *testing.T, out []byte, code int) cliout.AuditReport {
	t.Helper()
	return decodeReport[cliout.AuditReport](t, out, cliout.KindAuditReport, code)
}

// requireEnvelope checks what every -o json document holds, on the raw
// JSON, so a field renamed in Go is caught too: apiVersion, kind,
// summary (with the exit code), findings always (an array, maybe
// empty), and error exactly when the command exits 2.
func requireEnvelope(t *testing.T, out []byte, kind string, code int) {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, out)
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Summary    *struct {
			Result   string `json:"result"`
			ExitCode *int   `json:"exitCode"`
			Errors   *int   `json:"errors"`
			Warnings *int   `json:"warnings"`
			Hints    *int   `json:"hints"`
		} `json:"summary"`
		Findings []json.RawMessage `json:"findings"`
		Error    *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(out, &head); err != nil {
		t.Fatal(err)
	}
	if head.APIVersion != "cli.ecswin.io/v1alpha1" || head.Kind != kind {
		t.Errorf("apiVersion/kind = %q/%q, want cli.ecswin.io/v1alpha1/%s", head.APIVersion, head.Kind, kind)
	}
	if s := head.Summary; s == nil || s.ExitCode == nil || s.Errors == nil || s.Warnings == nil || s.Hints == nil || *s.ExitCode != code {
		t.Errorf("summary %s lacks a count or does not give exit code %d", doc["summary"], code)
	}
	if string(doc["findings"]) == "null" || doc["findings"] == nil {
		t.Errorf("findings is %s, want an array", doc["findings"])
	}
	if failed := code == cliout.ExitFailed; failed != (head.Error != nil && head.Error.Message != "") {
		t.Errorf("exit %d but error = %s", code, doc["error"])
	}
	want := map[int]string{cliout.ExitClean: "clean", cliout.ExitFindings: "findings", cliout.ExitFailed: "failed"}[code]
	if head.Summary != nil && head.Summary.Result != want {
		t.Errorf("summary.result = %q, want %q", head.Summary.Result, want)
	}
}

func TestAuditReportsFindingsAndChangesNothing(t *testing.T) {
	// Enforce in the file: audit must still only check.
	policy, sim := simPolicy(t, "Enforce")
	before := sim.FleetSummary()
	var out, errOut bytes.Buffer
	code := runCLI(append([]string{"audit", "--policy", policy, "-o", "json", "--wait=false"}, simTrust...), &out, &errOut)
	if code != cliout.ExitFindings {
		t.Fatalf("exit %d, want %d (findings); stderr %s", code, cliout.ExitFindings, errOut.String())
	}
	rep := decodeAudit(t, out.Bytes(), code)
	if len(rep.Policies) != 1 {
		t.Fatalf("policies = %+v, want the file's one", rep.Policies)
	}
	p := rep.Policies[0]
	if p.Name != "small" || p.Counts.WindowsInstances != 10 || p.Counts.Port80Conflicts == 0 || len(rep.Findings) == 0 || p.At == nil {
		t.Errorf("report = %+v, %d findings; want 10 Windows hosts and port-80 conflicts", p, len(rep.Findings))
	}
	if rep.Summary.Errors == 0 || rep.Findings[0].Policy != "small" {
		t.Errorf("summary %+v, first finding %+v", rep.Summary, rep.Findings[0])
	}
	after := sim.FleetSummary()
	after.CommandsRun = before.CommandsRun
	if before != after {
		t.Errorf("audit changed the fleet:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestAuditTable(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	var out, errOut bytes.Buffer
	// Flags after the others, in any order.
	if code := runCLI(append([]string{"audit", "--wait=false", "--policy", policy}, simTrust...), &out, &errOut); code != cliout.ExitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, cliout.ExitFindings, errOut.String())
	}
	for _, want := range []string{"SEVERITY", "HostPort80Conflict", "NoPortConflicts"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// Whatever goes wrong once the flags are right, -o json prints the
// report with its error object and the exit code is 2.
func TestAuditFailuresKeepTheJSONContract(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	raw, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	invalid := filepath.Join(t.TempDir(), "invalid.yaml")
	doc := strings.Replace(string(raw), "mode: DryRun", "mode: Fix", 1) + "    maxConcurrency: 500\n"
	if err := os.WriteFile(invalid, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args   []string
		detail string // in error.details
	}{
		"missing file":         {args: []string{"--policy", filepath.Join(t.TempDir(), "absent.yaml")}},
		"policy with errors":   {args: []string{"--policy", invalid}, detail: `spec.remediation.mode: Unsupported value: "Fix"`},
		"empty standard input": {args: []string{"--policy", "-"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runStdin("", append([]string{"audit", "-o", "json", "--wait=false"}, tc.args...)...)
			if code != cliout.ExitFailed {
				t.Fatalf("exit %d, want %d; stderr %s", code, cliout.ExitFailed, errOut)
			}
			rep := decodeAudit(t, []byte(out), code)
			if !strings.Contains(errOut, rep.Error.Message) {
				t.Errorf("stderr %q does not say %q", errOut, rep.Error.Message)
			}
			if tc.detail != "" && !strings.Contains(strings.Join(rep.Error.Details, "\n"), tc.detail) {
				t.Errorf("error details %q lack %q", rep.Error.Details, tc.detail)
			}
		})
	}
}

func TestAuditReadsThePolicyFromStdin(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	raw, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runStdin(string(raw), append([]string{"audit", "-f", "-", "-o", "json", "--wait=false"}, simTrust...)...)
	if code != cliout.ExitFindings {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	if rep := decodeAudit(t, []byte(out), code); len(rep.Policies) != 1 || rep.Policies[0].Counts.WindowsInstances != 10 {
		t.Errorf("policies = %+v", rep.Policies)
	}
}

// Every policy of a multi-document file is audited, none silently
// dropped; a failing one fails the audit but keeps the others' findings.
func TestAuditAuditsEveryDocument(t *testing.T) {
	policy, _ := simPolicy(t, "DryRun")
	raw, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	second := strings.NewReplacer("name: small", "name: linux-only", "clusters: [windows, linux]", "clusters: [linux]").Replace(string(raw))
	third := strings.NewReplacer("name: small", "name: gone", "clusters: [windows, linux]", "clusters: [nope]").Replace(string(raw))
	both := string(raw) + "---\n" + second
	if err := os.WriteFile(policy, []byte(both), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := runCLI(append([]string{"audit", "-f", policy, "-o", "json", "--wait=false"}, simTrust...), &out, &errOut)
	rep := decodeAudit(t, out.Bytes(), code)
	if code != cliout.ExitFindings || len(rep.Policies) != 2 || rep.Policies[0].Name != "small" || rep.Policies[1].Name != "linux-only" {
		t.Fatalf("exit %d, policies %+v; stderr %s", code, rep.Policies, errOut.String())
	}
	if rep.Policies[1].Counts.WindowsInstances != 0 || rep.Policies[0].Counts.WindowsInstances != 10 {
		t.Errorf("each policy should see its own clusters: %+v", rep.Policies)
	}

	out.Reset()
	code, tableOut, errText := runStdin(both+"---\n"+third, append([]string{"audit", "-f", "-", "--wait=false"}, simTrust...)...)
	if code != cliout.ExitFailed || !strings.Contains(errText, "gone: incomplete") {
		t.Errorf("exit %d, stderr %q: want 2 and the failing policy named", code, errText)
	}
	for _, want := range []string{"policy small:", "policy linux-only:", "policy gone:", "all 3 policies:"} {
		if !strings.Contains(tableOut, want) {
			t.Errorf("table lacks %q:\n%s", want, tableOut)
		}
	}
}

func TestAuditWaitsForTheChecks(t *testing.T) {
	policy, sim := simPolicy(t, "Enforce")
	sim.SetSSMTiming(fleetsim.SSMTiming{Visibility: 1e6, Delivery: 1e6, Execution: 1e6})
	drifted := len(sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}))
	before := simtest.WindowsHosts(sim)
	p, err := loadOnePolicy(policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	co := coreOptions{pollInterval: 20 * time.Millisecond}
	if err := simTrustOptions.apply(&co); err != nil {
		t.Fatal(err)
	}
	c, err := newCore(co)
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	o := auditOptions{wait: true, timeout: &durationValue{value: time.Minute}}
	res, err := auditPass(context.Background(), c, refOf(p), p.Spec, o, &progress)
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
	code := runCLI(append([]string{"audit", "--policy", policy, "--wait=false", "-o", "json"}, simTrust...), &out, &errOut)
	if code != cliout.ExitFailed {
		t.Fatalf("exit %d, want %d; stdout %s", code, cliout.ExitFailed, out.String())
	}
	if !strings.Contains(errOut.String(), "incomplete") || !strings.Contains(errOut.String(), "nope") {
		t.Errorf("stderr does not say what was missed: %q", errOut.String())
	}
	rep := decodeAudit(t, out.Bytes(), code)
	if !strings.Contains(rep.Policies[0].Error, "nope") || !strings.Contains(strings.Join(rep.Error.Details, " "), "nope") {
		t.Errorf("the report does not say what was missed: %+v %+v", rep.Policies[0], rep.Error)
	}
}
