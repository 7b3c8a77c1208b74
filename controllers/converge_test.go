package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestPolicyConvergesOnTheSimulatedFleet(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	driftedBefore := h.env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})
	if len(driftedBefore) == 0 {
		t.Fatal("scenario has no drift to repair")
	}
	created := h.createPolicy(t, ecswinv1alpha1.ModeEnforce)

	p, _ := h.runUntil(t, 30, converged)
	if !converged(p) {
		t.Fatalf("not converged after 30 reconciles: counts %+v\n%s", p.Status.Counts, conditionsString(p))
	}
	simtest.RequireNoDriftedHosts(t, h.env.Sim)

	c, fleet := p.Status.Counts, h.env.Sim.FleetSummary()
	if int(c.Clusters) != fleet.Clusters || int(c.ContainerInstances) != fleet.Instances || int(c.WindowsInstances) != fleet.WindowsHosts || c.Port80Conflicts == 0 {
		t.Errorf("counts = %+v, want the scenario's %d clusters, %d instances, %d Windows, some port-80 conflicts", c, fleet.Clusters, fleet.Instances, fleet.WindowsHosts)
	}
	if p.Status.LastSyncTime == nil {
		t.Error("lastSyncTime not set")
	}
	if p.Status.ObservedGeneration != created.Generation {
		t.Errorf("observedGeneration = %d, want %d", p.Status.ObservedGeneration, created.Generation)
	}
	for _, typ := range append([]string{ecswinv1alpha1.ConditionReady}, ecswinv1alpha1.StepConditions...) {
		if got := condition(p, typ); got.ObservedGeneration != created.Generation || got.Status == "Absent" {
			t.Errorf("condition %s = %+v, want it present with observedGeneration %d", typ, got, created.Generation)
		}
	}
	if got := condition(p, ecswinv1alpha1.ConditionNoPortConflicts); got.Status != metav1.ConditionFalse || got.Reason != ecswinv1alpha1.ReasonConflictsFound {
		t.Errorf("NoPortConflicts = %s/%s, want False/%s", got.Status, got.Reason, ecswinv1alpha1.ReasonConflictsFound)
	}
	if got := condition(p, ecswinv1alpha1.ConditionReady); got.Status != metav1.ConditionFalse || got.Reason != ecswinv1alpha1.ReasonStepsNotReady {
		t.Errorf("Ready = %s/%s, want False/%s while port-80 conflicts remain", got.Status, got.Reason, ecswinv1alpha1.ReasonStepsNotReady)
	}
	conflicts := 0
	for _, ti := range p.Status.TaskDefinitionIssues {
		if ti.Reason == audit.ReasonHostPort80Conflict {
			conflicts++
		}
	}
	if conflicts == 0 {
		t.Errorf("taskDefinitionIssues list no %s: %+v", audit.ReasonHostPort80Conflict, p.Status.TaskDefinitionIssues)
	}

	repaired := 0
	for _, e := range h.events.byReason(engine.EventRepairSucceeded) {
		repaired += hostsCounted(t, e.Message).total
	}
	if repaired < len(driftedBefore) {
		t.Errorf("%s events count %d host(s) for %d drifted hosts", engine.EventRepairSucceeded, repaired, len(driftedBefore))
	}
	if len(h.events.byReason(engine.EventCommandsSent)) == 0 {
		t.Errorf("no %s event", engine.EventCommandsSent)
	}
	seen := map[recordedEvent]bool{}
	for _, e := range h.events.all() {
		if seen[e] {
			t.Errorf("event emitted twice within the repeat interval: %+v", e)
		}
		seen[e] = true
	}
}

// A converged fleet that did not change costs no status write.
func TestUnchangedFleetWritesNoStatus(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	p := h.mustConverge(t)
	events := len(h.events.all())
	for i := 0; i < 3; i++ {
		if _, err := h.reconcile(t); err != nil {
			t.Fatal(err)
		}
	}
	if again := h.get(t); again.ResourceVersion != p.ResourceVersion {
		t.Errorf("status was written again for an unchanged fleet: resourceVersion %s -> %s", p.ResourceVersion, again.ResourceVersion)
	}
	if got := len(h.events.all()); got != events {
		t.Errorf("%d new event(s) for an unchanged fleet: %+v", got-events, h.events.all()[events:])
	}
}
