package remediate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

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
// on (healthy and repaired both become 0), and the script's.
var documentExitCodes = []int32{
	int32(ssmdoc.CommandExitCode(report.ExitHealthy)),
	int32(ssmdoc.CommandExitCode(report.ExitError)),
	int32(ssmdoc.CommandExitCode(report.ExitUsage)),
	int32(ssmdoc.CommandExitCode(report.ExitBroken)),
	ssmdoc.ExitDownloadFailed, ssmdoc.ExitHashMismatch, ssmdoc.ExitCacheFailed,
}

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
		message string // held by the message, or by the report's outcome
	}{
		"pending":                 {status: ssmtypes.CommandInvocationStatusPending, details: "Pending", code: NoExitCode, running: true},
		"in progress":             {status: ssmtypes.CommandInvocationStatusInProgress, details: "In Progress", code: NoExitCode, running: true},
		"delayed":                 {status: ssmtypes.CommandInvocationStatusDelayed, details: "Delayed", code: NoExitCode, running: true},
		"cancelling":              {status: ssmtypes.CommandInvocationStatusCancelling, details: "Cancelling", code: NoExitCode, running: true},
		"no status yet":           {code: NoExitCode, running: true},
		"healthy":                 {status: success, details: "Success", code: 0, output: healthy, want: ResultReport, message: "Healthy"},
		"repaired (3 becomes 0)":  {status: success, details: "Success", code: 0, output: hostReport(t, report.OutcomeRepaired, nil), want: ResultReport, message: "Repaired"},
		"still broken":            {status: failed, details: "Failed", code: 4, output: hostReport(t, report.OutcomeBroken, nil), want: ResultReport, message: "Broken"},
		"checks could not run":    {status: failed, details: "Failed", code: 1, output: hostReport(t, report.OutcomeError, nil), want: ResultFailed, message: "the Docker engine did not answer"},
		"error, nothing printed":  {status: failed, details: "Failed", code: 1, want: ResultFailed, message: "exit code 1 and printed nothing"},
		"usage error":             {status: failed, details: "Failed", code: 2, want: ResultFailed, message: "exit code 2 and printed nothing"},
		"error printing text":     {status: failed, details: "Failed", code: 1, output: "Access is denied.\r\n", want: ResultUnreadable, message: "not JSON"},
		"download failed":         {status: failed, details: "Failed", code: ssmdoc.ExitDownloadFailed, want: ResultFailed, message: "could not download route-bootstrap"},
		"hash mismatch":           {status: failed, details: "Failed", code: ssmdoc.ExitHashMismatch, output: "noise", want: ResultFailed, message: "SHA-256 differs"},
		"cache failed":            {status: failed, details: "Failed", code: ssmdoc.ExitCacheFailed, want: ResultFailed, message: "could not cache route-bootstrap"},
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
			if got.Result != c.want || got.InstanceID != "i-1" || got.CommandID != "c-1" {
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
