package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// Each host's run is counted once, however many polls see it ended
// while the rest of its command still runs.
func TestEachRunCountedOnce(t *testing.T) {
	env := smallEnv(t)
	env.Sim.SetSSMTiming(fleetsim.SSMTiming{Delivery: 1e9, Execution: 3e9})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Remediation.MaxConcurrency = 2 // the command ends host by host
	eng := newEngine(env)
	targeted, events := 0, map[string]int{}
	for i := 0; i < 40; i++ {
		res, err := eng.Pass(t.Context(), policy, spec)
		if err != nil {
			t.Fatal(err)
		}
		targeted += res.HostsTargeted
		for _, e := range res.Events {
			events[e.Key]++
		}
		if res.Counts.RepairsInFlight == 0 && res.HostStates[engine.HostUnverified] == 0 {
			break
		}
		env.Clock.Step(1e9)
	}
	if targeted == 0 {
		t.Fatal("nothing was sent")
	}
	if got := int(counterSum(t, env, "ecswin_remediation_repairs_total")); got != targeted {
		t.Errorf("ecswin_remediation_repairs_total = %d, want one per run (%d)", got, targeted)
	}
	for key, n := range events {
		if n > 1 {
			t.Errorf("event %s emitted %d times", key, n)
		}
	}
}

func counterSum(t *testing.T, env *simtest.Env, name string) float64 {
	t.Helper()
	mfs, err := env.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}
