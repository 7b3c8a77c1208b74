package cliout

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
)

func TestEventCounts(t *testing.T) {
	evs := []engine.Event{
		{Reason: engine.EventRepairSucceeded, Message: "i-1: added the credential route to 2 container(s)"},
		{Reason: engine.EventRepairSucceeded, Message: "i-2: added the credential route to 1 container(s)"},
		{Reason: engine.EventRepairSucceeded, Message: "and 11 more host(s) with RepairSucceeded in this pass"},
		{Reason: engine.EventRepairFailed, Message: "i-3: timed out"},
	}
	got := EventCounts(evs)
	if got[engine.EventRepairSucceeded] != 13 || got[engine.EventRepairFailed] != 1 {
		t.Errorf("EventCounts = %v, want 13 repairs (11 summed up) and 1 failure", got)
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

func TestNewReport(t *testing.T) {
	res := engine.Result{
		HostStates: map[engine.HostState]int{engine.HostHealthy: 2},
		Findings:   []audit.Finding{{Severity: audit.SeverityWarning, Reason: "R"}},
		Conditions: []engine.StepCondition{{Type: "InventorySynced", Status: "True", Reason: "Synced"}},
	}
	r := NewReport("ns/p", res)
	if r.LastSyncTime != nil || r.HostStates["Healthy"] != 2 || r.Summary["warnings"] != 1 || len(r.Findings) != 1 || r.Findings[0].Severity != "warning" {
		t.Errorf("report = %+v", r)
	}
}
