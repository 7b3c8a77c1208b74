package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// A command's runs make events only when the command has ended on every
// host, one per reason, naming at most MaxListedIssues hosts and counting
// the rest, with the command as the event's subject.
func TestCommandEventsWhenTheCommandEnds(t *testing.T) {
	m := newMemory(PolicyRef{Name: "p"}, newHostLocks())
	var ids []string
	for i := range 30 {
		ids = append(ids, fmt.Sprintf("i-%02d", i))
	}
	m.track([]remediate.Command{{ID: "c-1", InstanceIDs: ids}})
	repaired := &inventory.HostReport{ContainersLackingRouteBefore: 1, ContainersRepaired: 1, ProxyHealthy: true}
	spec := v1alpha1.FleetPolicySpec{Remediation: v1alpha1.RemediationSpec{Mode: v1alpha1.ModeEnforce}}
	for _, id := range ids[:29] {
		if !m.apply(remediate.Outcome{InstanceID: id, CommandID: "c-1", Result: remediate.ResultReport, Report: repaired}) {
			t.Fatalf("%s did not apply", id)
		}
	}
	if evs := events(&state{mem: m}, spec); len(evs) != 0 {
		t.Fatalf("events before the command ended: %+v", evs)
	}
	m.apply(remediate.Outcome{InstanceID: ids[29], CommandID: "c-1", Result: remediate.ResultFailed, Message: "exit 4"})
	st := &state{mem: m, did: record{ended: []endedCommand{m.endCommand("c-1")}}}
	evs := events(st, spec)
	if len(evs) != 2 {
		t.Fatalf("events %+v, want a RepairSucceeded and a RepairFailed", evs)
	}
	ok, failed := evs[0], evs[1]
	if ok.Reason != EventRepairSucceeded || ok.Command != "c-1" || ok.Hosts != 29 ||
		!strings.Contains(ok.Message, "on 29 host(s): i-00, i-01") || !strings.Contains(ok.Message, "i-19 and 9 more; added the credential route to 1 container(s)") ||
		strings.Contains(ok.Message, "i-20") {
		t.Errorf("RepairSucceeded = %+v", ok)
	}
	if failed.Reason != EventRepairFailed || failed.Type != EventWarning || failed.Hosts != 1 || failed.Message != "route-bootstrap failed on 1 host(s): i-29; exit 4" {
		t.Errorf("RepairFailed = %+v", failed)
	}
	if len(m.ends) != 0 || len(m.commands) != 0 {
		t.Errorf("the ended command is still remembered: %v %v", m.ends, m.commands)
	}
}

// Under hostProxy Report a run that found the proxy down and repaired
// what it was allowed to reported the proxy: result reported, a
// CredentialProxyBroken event, not RepairFailed.
func TestReportOnlyProxyIsReportedNotFailed(t *testing.T) {
	rep := &inventory.HostReport{ContainersLackingRouteBefore: 2, ContainersRepaired: 2, ProxyProblem: "address not up"}
	for _, tc := range []struct {
		repairProxy bool
		needsOp     bool
		label       string
		reason      string
	}{
		{false, false, "reported", EventProxyBroken},
		{true, true, "reported", EventProxyBroken},
		{true, false, "still_broken", EventRepairFailed},
	} {
		r := *rep
		r.ProxyNeedsOperator = tc.needsOp
		o := remediate.Outcome{InstanceID: "i-1", Result: remediate.ResultReport, Report: &r}
		if got := outcomeLabel(o, tc.repairProxy); got != tc.label {
			t.Errorf("repairProxy %v, needs operator %v: result %s, want %s", tc.repairProxy, tc.needsOp, got, tc.label)
		}
		if _, reason, msg, _ := outcomeEvent(o, tc.repairProxy); reason != tc.reason {
			t.Errorf("repairProxy %v, needs operator %v: event %s (%s), want %s", tc.repairProxy, tc.needsOp, reason, msg, tc.reason)
		}
	}
}
