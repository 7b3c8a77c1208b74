package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestDryRunChangesNothingOnTheFleet(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	before := simtest.WindowsHosts(h.env.Sim)
	drifted := len(h.env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}))
	h.createPolicy(t, ecswinv1alpha1.ModeDryRun)

	checked := func(p *ecswinv1alpha1.FleetPolicy) bool {
		return p.Status.Counts.RepairsInFlight == 0 && int(p.Status.Counts.DriftedHosts) == drifted &&
			condition(p, ecswinv1alpha1.ConditionRoutesHealthy).Status == metav1.ConditionFalse
	}
	p, _ := h.runUntil(t, 30, checked)
	if !checked(p) {
		t.Fatalf("dry run did not report the %d drifted hosts: counts %+v\n%s", drifted, p.Status.Counts, conditionsString(p))
	}

	simtest.RequireOnlyChecksRan(t, h.env.Sim, before)
	if got := condition(p, ecswinv1alpha1.ConditionRemediationHealthy); got.Reason != ecswinv1alpha1.ReasonDryRun {
		t.Errorf("RemediationHealthy = %s/%s, want reason %s", got.Status, got.Reason, ecswinv1alpha1.ReasonDryRun)
	}
	if n := len(h.events.byReason(engine.EventRepairSucceeded)); n != 0 {
		t.Errorf("%d %s events in a dry run", n, engine.EventRepairSucceeded)
	}
	if len(h.events.byReason(engine.EventDriftDetected)) == 0 {
		t.Errorf("no %s event for the drift the dry run found", engine.EventDriftDetected)
	}
}
