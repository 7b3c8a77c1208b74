package engine

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

func TestConditionRulesFollowTheStepConditions(t *testing.T) {
	var got []string
	for _, r := range conditionRules {
		got = append(got, r.typ)
	}
	if !slices.Equal(got, v1alpha1.StepConditions) {
		t.Errorf("condition rules %v, want v1alpha1.StepConditions %v", got, v1alpha1.StepConditions)
	}
}

// reportState is a pass over a fleet of three hosts: one whose report was
// unreadable this pass, one healthy, one never verified.
func reportState(t *testing.T) (*state, v1alpha1.FleetPolicySpec) {
	t.Helper()
	spec := v1alpha1.FleetPolicySpec{
		Remediation: v1alpha1.RemediationSpec{Mode: v1alpha1.ModeEnforce},
		Intervals:   v1alpha1.IntervalsSpec{},
	}
	host := func(n string) *inventory.Host {
		return &inventory.Host{Cluster: "c", ContainerInstanceARN: "arn:ci/" + n, InstanceID: "i-" + n, SSM: inventory.SSMOnline,
			AgentConnected: true, TaskRoleEnabled: true}
	}
	m := newMemory(PolicyRef{Name: "p"}, newHostLocks())
	m.fleet = &inventory.Fleet{Clusters: []*inventory.Cluster{{Name: "c", ARN: "arn:c", RegisteredInstances: 3,
		Hosts: []*inventory.Host{host("1"), host("2"), host("3")}}}}
	unreadable := remediate.Outcome{InstanceID: "i-1", CommandID: "c-1", Result: remediate.ResultUnreadable, Message: "not JSON"}
	m.commands["c-1"] = &remediate.Command{ID: "c-1", InstanceIDs: []string{"i-1"}}
	m.inFlight["i-1"] = "c-1"
	if !m.apply(unreadable) {
		t.Fatal("the outcome did not apply")
	}
	m.host("i-2").report = &inventory.HostReport{InstanceID: "i-2", ProxyHealthy: true}
	m.findings = audit.Run(auditInput(m, spec))
	ended := m.endCommand("c-1")
	return &state{mem: m, did: record{outcomes: []remediate.Outcome{unreadable}, ended: []endedCommand{ended}}, requeue: 10 * time.Second}, spec
}

// The report reads the state and writes nothing: twice the same result,
// and a host whose report was unreadable is that host's state, finding,
// event and remediation condition, while the others keep theirs.
func TestReportIsPure(t *testing.T) {
	st, spec := reportState(t)
	at := time.Unix(5000, 0)
	hostsBefore := maps.Clone(st.mem.hosts)
	first := report(st, spec, at)
	if again := report(st, spec, at); !reflect.DeepEqual(first, again) {
		t.Fatalf("two reports of one state differ:\n%+v\n%+v", first, again)
	}
	if !reflect.DeepEqual(hostsBefore, st.mem.hosts) || len(st.did.outcomes) != 1 {
		t.Error("the report changed the state")
	}
	want := map[HostState]int{HostReportUnreadable: 1, HostHealthy: 1, HostUnverified: 1}
	for _, s := range HostStates {
		if first.HostStates[s] != want[s] {
			t.Errorf("states %v, want %v", first.HostStates, want)
			break
		}
	}
	if c := first.Condition(v1alpha1.ConditionRemediationHealthy); c.Status != "False" || c.Reason != v1alpha1.ReasonRepairsFailing {
		t.Errorf("RemediationHealthy = %+v, want False/%s", c, v1alpha1.ReasonRepairsFailing)
	}
	found := false
	for _, f := range first.Findings {
		found = found || f.InstanceID == "i-1" && f.Reason == audit.ReasonReportUnreadable && f.Message == "not JSON"
	}
	if !found {
		t.Errorf("no ReportUnreadable finding for i-1 in %+v", first.Findings)
	}
	if len(first.Events) != 1 || first.Events[0].Reason != EventReportUnreadable || first.Events[0].Command != "c-1" ||
		first.Events[0].Hosts != 1 || !strings.Contains(first.Events[0].Message, "i-1; not JSON") {
		t.Errorf("events %+v, want one ReportUnreadable of c-1 naming i-1", first.Events)
	}
	if first.RequeueAfter != 10*time.Second || !first.At.Equal(at) {
		t.Errorf("requeue %s at %s", first.RequeueAfter, first.At)
	}
}

// A refused pass says why in every condition and asks for no requeue.
func TestRefusedReport(t *testing.T) {
	st, spec := reportState(t)
	st.did.refused = &blocker{reason: v1alpha1.ReasonInvalidSpec, err: errors.New("spec.clusters is empty")}
	res := report(st, spec, time.Unix(0, 0))
	for _, c := range res.Conditions {
		if c.Status != "False" || c.Reason != v1alpha1.ReasonInvalidSpec || c.Message != "spec.clusters is empty" {
			t.Errorf("%s = %+v", c.Type, c)
		}
	}
	if len(res.Conditions) != len(v1alpha1.StepConditions) || res.RequeueAfter != 0 {
		t.Errorf("%d conditions, requeue %s", len(res.Conditions), res.RequeueAfter)
	}
}

// lastRuns reads each host's newest finished run once: hosts in flight
// and hosts a newer command ran on are marked ended, commands with none
// of their own left out, and nothing older than the window read.
func TestLastRuns(t *testing.T) {
	now := time.Unix(100_000, 0)
	cmd := func(id string, age time.Duration, ids ...string) remediate.Command {
		return remediate.Command{ID: id, InstanceIDs: ids, RequestedAt: now.Add(-age)}
	}
	h := remediate.History{
		Running: []remediate.Command{cmd("run", time.Minute, "i-1")},
		Finished: []remediate.Command{ // newest first, as Recover gives them
			cmd("new", time.Hour, "i-1", "i-2"),
			cmd("mid", 2*time.Hour, "i-2", "i-3"),
			cmd("covered", 3*time.Hour, "i-1", "i-2", "i-3"),
			cmd("old", 30*time.Hour, "i-4"),
		},
	}
	got := lastRuns(h, now.Add(-6*time.Hour))
	ended := map[string][]string{}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
		for id := range c.Ended {
			ended[c.ID] = append(ended[c.ID], id)
		}
		slices.Sort(ended[c.ID])
	}
	if !slices.Equal(ids, []string{"new", "mid"}) {
		t.Fatalf("read %v, want [new mid]", ids)
	}
	if !slices.Equal(ended["new"], []string{"i-1"}) || !slices.Equal(ended["mid"], []string{"i-2"}) {
		t.Errorf("ended %v, want new: [i-1] (in flight), mid: [i-2] (newer run)", ended)
	}
}
