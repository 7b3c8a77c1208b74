package controllers

import (
	"testing"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A controller restarted while its commands run sends no second command
// to their hosts: the new engine learns from SSM what is in flight.
func TestRestartMidRepairSendsNoDuplicateCommand(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	h.env.Sim.SetSSMTiming(fleetsim.SSMTiming{Delivery: 1e9, Execution: 60e9})
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)

	res, err := h.reconcile(t)
	if err != nil {
		t.Fatal(err)
	}
	first := h.get(t)
	if first.Status.Counts.RepairsInFlight == 0 {
		t.Fatalf("first reconcile sent nothing: %+v", first.Status.Counts)
	}
	sent := h.env.Sim.Calls().Get("ssm", "SendCommand").Calls

	h.restart()
	h.env.Clock.Step(res.RequeueAfter)
	if _, err := h.reconcile(t); err != nil {
		t.Fatal(err)
	}
	if got := h.env.Sim.Calls().Get("ssm", "SendCommand").Calls; got != sent {
		t.Fatalf("restarted controller sent %d more SendCommand call(s) while %d host(s) were in flight", got-sent, first.Status.Counts.RepairsInFlight)
	}
	if got := h.get(t).Status.Counts.RepairsInFlight; got != first.Status.Counts.RepairsInFlight {
		t.Errorf("restarted controller sees %d host(s) in flight, want %d", got, first.Status.Counts.RepairsInFlight)
	}

	p, _ := h.runUntil(t, 30, converged)
	if !converged(p) {
		t.Fatalf("not converged after the restart: %+v\n%s", p.Status.Counts, conditionsString(p))
	}
	for _, hs := range h.env.Sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		if hs.CommandsRun > 1 {
			t.Errorf("host %s ran %d commands; one repair was enough", hs.InstanceID, hs.CommandsRun)
		}
	}
}
