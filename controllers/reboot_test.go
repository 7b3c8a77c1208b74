package controllers

import (
	"slices"
	"testing"
	"time"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A host repaired once that reboots later breaks again: the next
// inventory sees its new tasks, it is repaired again, and that second
// repair is an Event of its own.
func TestRebootedHostIsRepairedAgain(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	drifted := h.env.Sim.Instances(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true, Drifted: true})
	if len(drifted) == 0 {
		t.Fatal("scenario has no drifted host")
	}
	host := drifted[0]
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	h.mustConverge(t)
	repairsOf := func() int {
		n := 0
		for _, e := range h.events.byReason(engine.EventRepairSucceeded) {
			if slices.Contains(hostsCounted(t, e.Message).named, host) {
				n++
			}
		}
		return n
	}
	if got := repairsOf(); got != 1 {
		t.Fatalf("%d %s event(s) for %s before the reboot, want 1", got, engine.EventRepairSucceeded, host)
	}

	if err := h.env.Sim.RebootHost(host); err != nil {
		t.Fatal(err)
	}
	h.env.Clock.Step(time.Minute) // past the inventory interval
	sawDrift := false
	p, _ := h.runUntil(t, 30, func(p *ecswinv1alpha1.FleetPolicy) bool {
		sawDrift = sawDrift || p.Status.Counts.RepairsInFlight > 0 || p.Status.Counts.DriftedHosts > 0
		return sawDrift && converged(p)
	})
	if !converged(p) || !sawDrift {
		t.Fatalf("the reboot was not seen and repaired (saw drift: %v): %+v\n%s", sawDrift, p.Status.Counts, conditionsString(p))
	}
	if st, _ := h.env.Sim.HostState(host); st.ContainersLackingRoute != 0 || !st.ProxyHealthy {
		t.Errorf("host %s still broken after the repair: %+v", host, st)
	}
	if got := repairsOf(); got != 2 {
		t.Errorf("%d %s event(s) for %s, want a second one for the repair after the reboot", got, engine.EventRepairSucceeded, host)
	}
}
