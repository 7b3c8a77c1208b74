package remediate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// finished is a terminal invocation with code and stdout as SSM lists it.
func finished(code int32, stdout string) ssmtypes.CommandInvocation {
	status := ssmtypes.CommandInvocationStatusSuccess
	if code != 0 {
		status = ssmtypes.CommandInvocationStatusFailed
	}
	return ssmtypes.CommandInvocation{
		InstanceId: aws.String("i-1"), Status: status,
		CommandPlugins: []ssmtypes.CommandPlugin{{Output: aws.String(stdout), ResponseCode: code}},
	}
}

func hostReport(t *testing.T, s report.Summary) string {
	t.Helper()
	s.Command, s.InstanceID = report.CommandHost, "i-1"
	b, err := json.Marshal(report.Report{Schema: report.SchemaVersion, Summary: s})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExitCodesHaveTheirOwnReasons: every code the document or
// route-bootstrap exits with maps to its own result, reason and message;
// the report-only outcome reaches the audit as its own reason.
func TestExitCodesHaveTheirOwnReasons(t *testing.T) {
	needsOperator := report.Summary{Outcome: report.OutcomeNeedsOperator,
		ProxyReasons: []report.ProxyReason{report.ProxyExcludedPortRange, report.ProxyAgentNotListening}}
	tests := map[string]struct {
		code        int32
		stdout      string
		wantResult  Result
		wantReason  string
		wantMessage string
	}{
		"download failed":   {code: ssmdoc.ExitDownloadFailed, wantResult: ResultFailed, wantReason: audit.ReasonBootstrapDownloadFailed, wantMessage: "could not download"},
		"hash mismatch":     {code: ssmdoc.ExitHashMismatch, wantResult: ResultFailed, wantReason: audit.ReasonBootstrapHashMismatch, wantMessage: "SHA-256"},
		"cache failed":      {code: ssmdoc.ExitCacheFailed, wantResult: ResultFailed, wantReason: audit.ReasonBootstrapCacheFailed, wantMessage: `%ProgramFiles%\ecswin`},
		"blocked":           {code: ssmdoc.ExitStartBlocked, wantResult: ResultFailed, wantReason: audit.ReasonBootstrapBlocked, wantMessage: "AppLocker"},
		"script failed":     {code: ssmdoc.ExitScriptFailed, wantResult: ResultFailed, wantReason: audit.ReasonRepairFailed, wantMessage: "document failed"},
		"go crash":          {code: report.ExitGoRuntime, stdout: "goroutine 1 [running]:", wantResult: ResultFailed, wantReason: audit.ReasonBootstrapCrashed, wantMessage: "crashed"},
		"busy":              {code: report.ExitBusy, wantResult: ResultCancelled, wantReason: audit.ReasonHostBusy, wantMessage: "retried later"},
		"usage":             {code: report.ExitUsage, wantResult: ResultFailed, wantReason: audit.ReasonRepairFailed, wantMessage: "different releases"},
		"powershell failed": {code: 1, wantResult: ResultFailed, wantMessage: "exit code 1 and printed nothing"},
		"error report": {code: report.ExitError, stdout: hostReport(t, report.Summary{Outcome: report.OutcomeError}),
			wantResult: ResultFailed, wantMessage: "could not run its checks"},
		"still broken": {code: report.ExitBroken, stdout: hostReport(t, report.Summary{Outcome: report.OutcomeBroken, ProxyReasons: []report.ProxyReason{report.ProxyRuleMissing}}),
			wantResult: ResultReport},
		"needs an operator": {code: 0, stdout: hostReport(t, needsOperator), wantResult: ResultReport},
		"healthy":           {code: 0, stdout: hostReport(t, report.Summary{Outcome: report.OutcomeHealthy, ProxyHealthy: true}), wantResult: ResultReport},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, ended, err := invocationOutcome(context.Background(), nil, Command{ID: "c-1"}, finished(tc.code, tc.stdout), time.Unix(100, 0))
			if err != nil || !ended {
				t.Fatalf("ended %t err %v", ended, err)
			}
			if out.Result != tc.wantResult || out.Reason != tc.wantReason || !strings.Contains(out.Message, tc.wantMessage) {
				t.Errorf("got %s %q %q, want %s %q containing %q", out.Result, out.Reason, out.Message, tc.wantResult, tc.wantReason, tc.wantMessage)
			}
		})
	}
	// The document's own codes and route-bootstrap's must never collide.
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
	stdout := hostReport(t, report.Summary{Outcome: report.OutcomeNeedsOperator, ProxyReasons: []report.ProxyReason{report.ProxyExcludedPortRange}})
	r, err := ReadReport([]byte(stdout), "i-1", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !r.ProxyNeedsOperator || !strings.Contains(r.ProxyAdvice, "winnat") {
		t.Fatalf("report %+v", r)
	}
	repairable := hostReport(t, report.Summary{Outcome: report.OutcomeBroken, ProxyReasons: []report.ProxyReason{report.ProxyRuleMissing, report.ProxyAgentNotListening}})
	if r, err := ReadReport([]byte(repairable), "i-1", time.Unix(0, 0)); err != nil || r.ProxyNeedsOperator {
		t.Fatalf("a repairable proxy reads as needing an operator: %+v %v", r, err)
	}
}
