package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestConvergesDespiteThrottlesAndServerErrors(t *testing.T) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: 400, TasksPerInstance: 5, Seed: 3,
		Drift: scenario.Drift{ContainersWithoutRoute: 0.1, DeadProxies: 2}})
	env := simtest.New(t, sc, simtest.Options{Sim: fleetsim.Options{
		Faults: &fleetsim.FaultConfig{ThrottleFraction: 0.30, ServerErrorFraction: 0.05},
	}})
	res := run(t, env, newEngine(env), policy, env.Spec(t, v1alpha1.ModeEnforce), 60, converged)
	if !converged(res) {
		t.Fatalf("not converged: counts %+v states %v\n%s", res.Counts, res.HostStates, conditionsString(res))
	}
	simtest.RequireNoDriftedHosts(t, env.Sim)
	if want := env.Sim.FleetSummary().WindowsHosts; int(res.Counts.WindowsInstances) != want {
		t.Errorf("WindowsInstances = %d, want the scenario's %d", res.Counts.WindowsInstances, want)
	}
	total := env.Sim.Calls().Total("")
	if total.Throttled == 0 || total.ServerErrors == 0 {
		t.Errorf("no faults were injected: %+v", total)
	}
	t.Logf("calls %+v", total)
}
