package cliout

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
)

func TestEventCounts(t *testing.T) {
	evs := []engine.Event{
		{Reason: engine.EventRepairSucceeded, Hosts: 2, Message: "route-bootstrap repaired on 2 host(s): i-1, i-2"},
		{Reason: engine.EventRepairSucceeded, Hosts: 11, Message: "route-bootstrap repaired on 11 host(s): ..."},
		{Reason: engine.EventRepairFailed, Hosts: 1, Message: "route-bootstrap failed on 1 host(s): i-3; timed out"},
		{Reason: engine.EventDocumentUpdated, Message: "SSM document ecswin-route-bootstrap updated"},
	}
	got := EventCounts(evs)
	if got[engine.EventRepairSucceeded] != 13 || got[engine.EventRepairFailed] != 1 || got[engine.EventDocumentUpdated] != 1 {
		t.Errorf("EventCounts = %v, want 13 repairs, 1 failure and 1 document update", got)
	}
}

func TestElapsed(t *testing.T) {
	tests := map[time.Duration]string{
		0:                                    "0:00.0",
		1500 * time.Millisecond:              "0:01.5",
		61*time.Second + 40*time.Millisecond: "1:01.0",
		10*time.Minute + 59*time.Second:      "10:59.0",
	}
	for d, want := range tests {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestStatesLineLeavesOutEmptyStates(t *testing.T) {
	res := engine.Result{HostStates: map[engine.HostState]int{engine.HostHealthy: 5, engine.HostReportUnreadable: 1, engine.HostDrifted: 0}}
	if got := StatesLine(Style{}, res); got != "healthy 5 · unreadable 1" {
		t.Errorf("StatesLine = %q", got)
	}
	if got := StatesLine(Style{}, engine.Result{}); !strings.Contains(got, "no Windows host") {
		t.Errorf("StatesLine of nothing = %q", got)
	}
}

func TestFindingsTableAndSummary(t *testing.T) {
	fs := []audit.Finding{
		{Rule: audit.RulePort80, Reason: audit.ReasonHostPort80Conflict, Severity: audit.SeverityError, Subject: audit.SubjectTaskDefinition,
			Cluster: "c", TaskDefinition: "iis:3", Count: 2, Message: "map another host port"},
		{Rule: audit.RuleRoute, Reason: audit.ReasonRouteMissing, Severity: audit.SeverityError, Subject: audit.SubjectHost,
			Cluster: "c", InstanceID: "i-1", Count: 1, Message: "add the route"},
		{Rule: audit.RuleHint, Reason: audit.ReasonAWSVPCHint, Severity: audit.SeverityHint, Subject: audit.SubjectTaskDefinition,
			Cluster: "c", TaskDefinition: "iis:3", Message: "consider awsvpc"},
	}
	var b bytes.Buffer
	if err := FindingsTable(&b, Style{}, fs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "SEVERITY") {
		t.Fatalf("table:\n%s", b.String())
	}
	if !strings.Contains(lines[1], "iis:3") || !strings.Contains(lines[2], "i-1") || !strings.HasSuffix(lines[3], "consider awsvpc") {
		t.Errorf("rows out of place:\n%s", b.String())
	}
	if got := FindingsSummary(fs); got != "2 errors, 0 warnings, 1 hint" {
		t.Errorf("FindingsSummary = %q", got)
	}
	if got := CountBySeverity(fs, audit.SeverityWarning); got != 2 {
		t.Errorf("CountBySeverity(warning) = %d, want 2", got)
	}
}

func TestBeforeAfter(t *testing.T) {
	var b bytes.Buffer
	err := BeforeAfter(&b, Style{}, "T", "before", "after", []Row{
		{Label: "lacking", Before: 38, After: 0, LowerIsBetter: true},
		{Label: "hosts", Before: 280, After: 280},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"T\n", "-38", "="} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestAuditReportContract(t *testing.T) {
	res := engine.Result{
		HostStates: map[engine.HostState]int{engine.HostHealthy: 2},
		Findings:   []audit.Finding{{Severity: audit.SeverityWarning, Reason: "R"}, {Severity: audit.SeverityHint, Reason: "H"}},
		Conditions: []engine.StepCondition{{Type: "InventorySynced", Status: "True", Reason: "Synced"}},
	}
	r := NewAuditReport()
	r.AddPolicy("ns/p", res, "")
	if code := r.Finish(nil); code != ExitFindings || r.Error != nil {
		t.Fatalf("exit %d, error %+v: want findings and no error", code, r.Error)
	}
	p := r.Policies[0]
	if r.APIVersion != APIVersion || r.Kind != KindAuditReport || p.LastSyncTime != nil || p.At != nil || p.HostStates["Healthy"] != 2 ||
		r.Summary != (Summary{Result: ResultFindings, ExitCode: ExitFindings, Warnings: 1, Hints: 1}) ||
		len(r.Findings) != 2 || r.Findings[0].Severity != "warning" || r.Findings[0].Policy != "ns/p" {
		t.Errorf("report = %+v", r)
	}

	r.AddPolicy("ns/q", engine.Result{}, "cluster x could not be read")
	if code := r.Finish(nil); code != ExitFailed || r.Error == nil || r.Summary.Result != ResultFailed ||
		len(r.Error.Details) != 1 || !strings.HasPrefix(r.Error.Details[0], "ns/q: ") {
		t.Errorf("a policy seen in part: exit %d, error %+v", code, r.Error)
	}

	clean := NewAuditReport()
	clean.AddPolicy("p", engine.Result{Findings: []audit.Finding{{Severity: audit.SeverityHint}}}, "")
	if code := clean.Finish(nil); code != ExitClean || clean.Summary.Result != ResultClean {
		t.Errorf("hints only: exit %d, %+v", code, clean.Summary)
	}
}

func TestLintReportContract(t *testing.T) {
	r := NewLintReport()
	r.Files = append(r.Files, LintFile{Path: "a.json", TaskDefinition: "a:1"}, LintFile{Path: "b.json", Error: "not JSON"})
	if code := r.Finish(); code != ExitFailed || r.Error == nil || r.Error.Message != "1 of 2 file(s) could not be read" ||
		r.Kind != KindLintReport || r.Findings == nil {
		t.Errorf("exit %d, report %+v", code, r)
	}
}

func TestErrorOfSplitsProblems(t *testing.T) {
	e := ErrorOf(errors.New("p.yaml: 2 problems:\n  - spec.a: bad\n  - spec.b: worse"))
	if e.Message != "p.yaml: 2 problems" || len(e.Details) != 2 || e.Details[1] != "spec.b: worse" {
		t.Errorf("ErrorOf = %+v", e)
	}
}

// Colour codes cost no width: every column starts at the same visible
// position on every line, coloured or not.
func TestColumnsAlignColouredCells(t *testing.T) {
	st := Style{}.Colored()
	var b bytes.Buffer
	err := Columns(&b, st, []string{"SEVERITY", "RULE", "WHAT TO DO"}, [][]string{
		{st.Bad("error"), "R6", "map another port"},
		{st.Dim("hint"), st.Warn("Hint"), "consider awsvpc"},
	}, Layout{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[31merror\x1b[0m") {
		t.Fatalf("no colour written:\n%q", b.String())
	}
	want := "SEVERITY  RULE  WHAT TO DO\n" +
		"error     R6    map another port\n" +
		"hint      Hint  consider awsvpc\n"
	if got := escapes.ReplaceAllString(b.String(), ""); got != want {
		t.Errorf("without its colours the table is\n%s\nwant\n%s", got, want)
	}
}

func TestColumnsWrapTheLastColumnOnATerminal(t *testing.T) {
	rows := [][]string{{"error", "map another host port behind a load balancer, or exempt the family"}}
	var narrow, pipe bytes.Buffer
	if err := Columns(&narrow, Style{}.WithWidth(40), []string{"SEVERITY", "WHAT TO DO"}, rows, Layout{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(narrow.String(), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("not wrapped:\n%s", narrow.String())
	}
	for _, l := range lines[1:] {
		if len(l) > 40 || !strings.HasPrefix(l, strings.Repeat(" ", 10)) && !strings.HasPrefix(l, "error") {
			t.Errorf("line %q is too long or not under its column", l)
		}
	}
	if got := strings.Join(strings.Fields(strings.Join(lines[1:], " ")), " "); got != "error "+rows[0][1] {
		t.Errorf("wrapping lost words: %q", got)
	}
	if err := Columns(&pipe, Style{}, []string{"SEVERITY", "WHAT TO DO"}, rows, Layout{}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(pipe.String(), "\n") != 2 {
		t.Errorf("off a terminal each row is one line:\n%s", pipe.String())
	}
}
