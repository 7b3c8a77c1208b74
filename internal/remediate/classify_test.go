package remediate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// hostReport is what route-bootstrap host prints on i-1.
func hostReport(t *testing.T, outcome report.Outcome, mut func(*report.Summary)) string {
	t.Helper()
	s := report.Summary{Command: report.CommandHost, Outcome: outcome, InstanceID: "i-1", ProxyHealthy: true}
	switch outcome {
	case report.OutcomeRepaired:
		s.ContainersChecked, s.ContainersLackingRouteBefore, s.ContainersRepaired = 2, 2, 2
	case report.OutcomeBroken:
		s.ContainersChecked, s.ContainersLackingRouteBefore, s.ContainersLackingRouteAfter = 2, 2, 1
	case report.OutcomeNeedsOperator:
		s.ProxyHealthy, s.ProxyReasons = false, []report.ProxyReason{report.ProxyExcludedPortRange, report.ProxyAgentNotListening}
	}
	r := report.Report{Schema: report.SchemaVersion, Summary: s}
	if outcome == report.OutcomeError {
		r.Problems = []string{"the Docker engine did not answer"}
	}
	if mut != nil {
		mut(&r.Summary)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// documentExitCodes are the exit codes a run of the route-bootstrap
// document can end with: route-bootstrap's own as the script passes them
// on (healthy, repaired and needs-operator become 0), the script's, and
// powershell.exe's own 1 when the script cannot start.
var documentExitCodes = func() []int32 {
	var out []int32
	for _, c := range []int{report.ExitHealthy, report.ExitGoRuntime, report.ExitRepaired, report.ExitBroken,
		report.ExitNeedsOperator, report.ExitError, report.ExitUsage, report.ExitBusy} {
		out = append(out, int32(ssmdoc.CommandExitCode(c)))
	}
	return append(out, ssmdoc.ExitDownloadFailed, ssmdoc.ExitHashMismatch, ssmdoc.ExitCacheFailed,
		ssmdoc.ExitStartBlocked, ssmdoc.ExitScriptFailed, 1)
}()

// Classify over every status and status detail SSM gives an invocation
// and every exit code the document produces, with the outputs that go
// with them; a code added to the document without a case here fails.
func TestClassify(t *testing.T) {
	const (
		success = ssmtypes.CommandInvocationStatusSuccess
		failed  = ssmtypes.CommandInvocationStatusFailed
	)
	healthy := hostReport(t, report.OutcomeHealthy, nil)
	cases := map[string]struct {
		status  ssmtypes.CommandInvocationStatus
		details string
		code    int32
		output  string
		running bool
		want    Result
		reason  string
		message string // held by the message, or by the report's outcome
	}{
		"pending":                {status: ssmtypes.CommandInvocationStatusPending, details: "Pending", code: NoExitCode, running: true},
		"in progress":            {status: ssmtypes.CommandInvocationStatusInProgress, details: "In Progress", code: NoExitCode, running: true},
		"delayed":                {status: ssmtypes.CommandInvocationStatusDelayed, details: "Delayed", code: NoExitCode, running: true},
		"cancelling":             {status: ssmtypes.CommandInvocationStatusCancelling, details: "Cancelling", code: NoExitCode, running: true},
		"no status yet":          {code: NoExitCode, running: true},
		"healthy":                {status: success, details: "Success", code: 0, output: healthy, want: ResultReport, message: "Healthy"},
		"repaired (3 becomes 0)": {status: success, details: "Success", code: 0, output: hostReport(t, report.OutcomeRepaired, nil), want: ResultReport, message: "Repaired"},
		"needs an operator (5 becomes 0)": {status: success, details: "Success", code: 0, output: hostReport(t, report.OutcomeNeedsOperator, nil),
			want: ResultReport, message: "Broken"},
		"still broken": {status: failed, details: "Failed", code: report.ExitBroken, output: hostReport(t, report.OutcomeBroken, nil), want: ResultReport, message: "Broken"},
		"checks could not run": {status: failed, details: "Failed", code: report.ExitError, output: hostReport(t, report.OutcomeError, nil),
			want: ResultFailed, message: "the Docker engine did not answer"},
		"usage error":             {status: failed, details: "Failed", code: report.ExitUsage, want: ResultFailed, reason: audit.ReasonRepairFailed, message: "different releases"},
		"crash":                   {status: failed, details: "Failed", code: report.ExitGoRuntime, output: "goroutine 1 [running]:", want: ResultFailed, reason: audit.ReasonBootstrapCrashed, message: "crashed"},
		"busy":                    {status: failed, details: "Failed", code: report.ExitBusy, want: ResultCancelled, reason: audit.ReasonHostBusy, message: "retried later"},
		"powershell failed":       {status: failed, details: "Failed", code: 1, want: ResultFailed, message: "exit code 1 and printed nothing"},
		"powershell said why":     {status: failed, details: "Failed", code: 1, output: "Access is denied.\r\n", want: ResultUnreadable, message: "not JSON"},
		"download failed":         {status: failed, details: "Failed", code: ssmdoc.ExitDownloadFailed, want: ResultFailed, reason: audit.ReasonBootstrapDownloadFailed, message: "could not download route-bootstrap"},
		"hash mismatch":           {status: failed, details: "Failed", code: ssmdoc.ExitHashMismatch, output: "noise", want: ResultFailed, reason: audit.ReasonBootstrapHashMismatch, message: "SHA-256 differs"},
		"cache failed":            {status: failed, details: "Failed", code: ssmdoc.ExitCacheFailed, want: ResultFailed, reason: audit.ReasonBootstrapCacheFailed, message: `%ProgramFiles%\ecswin`},
		"start blocked":           {status: failed, details: "Failed", code: ssmdoc.ExitStartBlocked, want: ResultFailed, reason: audit.ReasonBootstrapBlocked, message: "AppLocker"},
		"script failed":           {status: failed, details: "Failed", code: ssmdoc.ExitScriptFailed, want: ResultFailed, reason: audit.ReasonRepairFailed, message: "document failed"},
		"success, empty":          {status: success, details: "Success", code: 0, want: ResultUnreadable, message: "empty"},
		"success, not JSON":       {status: success, details: "Success", code: 0, output: "WARNING: module loaded\r\n" + healthy, want: ResultUnreadable, message: "not JSON"},
		"success, cut":            {status: success, details: "Success", code: 0, output: healthy[:len(healthy)/2], want: ResultUnreadable, message: "truncated"},
		"another host's report":   {status: success, details: "Success", code: 0, output: hostReport(t, report.OutcomeHealthy, func(s *report.Summary) { s.InstanceID = "i-2" }), want: ResultUnreadable, message: "claims instance"},
		"not a host report":       {status: success, details: "Success", code: 0, output: hostReport(t, report.OutcomeHealthy, func(s *report.Summary) { s.Command = report.CommandEnsure }), want: ResultUnreadable, message: "report of command"},
		"delivery timed out":      {status: ssmtypes.CommandInvocationStatusTimedOut, details: "Delivery Timed Out", code: NoExitCode, want: ResultTimedOut, message: "delivery timeout"},
		"execution timed out":     {status: ssmtypes.CommandInvocationStatusTimedOut, details: "Execution Timed Out", code: NoExitCode, want: ResultTimedOut, message: "commandTimeout"},
		"execution timed out (F)": {status: failed, details: "Execution Timed Out", code: 1, output: healthy, want: ResultTimedOut, message: "commandTimeout"},
		"timed out, no details":   {status: ssmtypes.CommandInvocationStatusTimedOut, code: NoExitCode, want: ResultTimedOut, message: "no details"},
		"undeliverable":           {status: failed, details: "Undeliverable", code: NoExitCode, want: ResultUndeliverable, message: "agent was offline"},
		"terminated by MaxErrors": {status: failed, details: "Terminated", code: NoExitCode, want: ResultCancelled, message: "MaxErrors"},
		"cancelled":               {status: ssmtypes.CommandInvocationStatusCancelled, details: "Canceled", code: NoExitCode, want: ResultCancelled, message: "Canceled"},
	}
	covered := map[int32]bool{}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			at := time.Unix(1000, 0)
			inv := Invocation{CommandID: "c-1", InstanceID: "i-1", Status: c.status, StatusDetails: c.details, Output: c.output, ExitCode: c.code}
			got, ended := Classify(inv, at)
			if ended == c.running {
				t.Fatalf("ended = %v, want %v", ended, !c.running)
			}
			if c.running {
				return
			}
			if got.Result != c.want || got.Reason != c.reason || got.InstanceID != "i-1" || got.CommandID != "c-1" {
				t.Fatalf("Classify = %+v, want %s", got, c.want)
			}
			said := got.Message
			if got.Report != nil {
				said = string(reportOutcome(got.Report))
				if got.Report.At != at || got.Report.InstanceID != "i-1" {
					t.Errorf("report %+v not of i-1 at %s", got.Report, at)
				}
			}
			if !strings.Contains(said, c.message) {
				t.Errorf("said %q, want it to hold %q", said, c.message)
			}
		})
		if c.status == success || c.status == failed {
			covered[c.code] = true
		}
	}
	for _, code := range documentExitCodes {
		if !covered[code] {
			t.Errorf("exit code %d of the document has no case", code)
		}
	}
}

// reportOutcome names what a read report says, as route-bootstrap would.
func reportOutcome(r interface {
	Healthy() bool
	DriftFound() bool
}) report.Outcome {
	switch {
	case r.Healthy() && !r.DriftFound():
		return report.OutcomeHealthy
	case r.Healthy():
		return report.OutcomeRepaired
	}
	return report.OutcomeBroken
}
