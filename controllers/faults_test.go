package controllers

import (
	"testing"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestConvergesDespiteThrottlesAndServerErrors(t *testing.T) {
	h := newHarness(t, simtest.Options{Sim: fleetsim.Options{
		Faults: &fleetsim.FaultConfig{ThrottleFraction: 0.30, ServerErrorFraction: 0.05},
	}})
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	p, retried := h.runUntil(t, 60, converged)
	if !converged(p) {
		t.Fatalf("not converged: counts %+v\n%s", p.Status.Counts, conditionsString(p))
	}
	simtest.RequireNoDriftedHosts(t, h.env.Sim)
	total := h.env.Sim.Calls().Total("")
	if total.Throttled == 0 || total.ServerErrors == 0 {
		t.Errorf("no faults were injected: %+v", total)
	}
	t.Logf("calls %+v; reconciles retried after an error: %d", total, retried)
}
