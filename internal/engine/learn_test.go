package engine_test

import (
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// startsAndRuns starts one task of web on each Windows host in turn,
// with or without the route, lets the engine find it (polling alone) and
// settle, and returns the runs each start cost.
func startsAndRuns(t *testing.T, withRoute bool) (runs []int, env *simtest.Env, eng *engine.Engine, spec v1alpha1.FleetPolicySpec) {
	t.Helper()
	env = smallEnv(t)
	eng = newEngine(env)
	spec = env.Spec(t, v1alpha1.ModeEnforce)
	spec.Intervals.Reverify.Duration = 24 * time.Hour
	if res := run(t, env, eng, policy, spec, 30, converged); !converged(res) {
		t.Fatalf("the first sweep did not converge: %+v", res.Counts)
	}
	hosts := env.Sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})
	for round := range 2 {
		for _, h := range hosts {
			if !h.SSMOnline {
				continue
			}
			before := runsOf(env)
			if _, err := env.Sim.StartTask(h.InstanceID, "web", withRoute); err != nil {
				t.Fatal(err)
			}
			env.Clock.Step(spec.Intervals.Inventory.Duration + time.Second)
			if res := run(t, env, eng, policy, spec, 10, settled); res.Counts.RepairsInFlight != 0 {
				t.Fatalf("round %d: still %d in flight", round, res.Counts.RepairsInFlight)
			}
			runs = append(runs, runsOf(env)-before)
		}
	}
	return runs, env, eng, spec
}

func runsOf(env *simtest.Env) int {
	n := 0
	for _, h := range env.Sim.HostStates(simWindows) {
		n += h.CommandsRun
	}
	return n
}

// A revision whose new tasks carried the route at their first checks
// stops sending runs for its new tasks, but for an occasional re-check;
// the runs it spared are counted.
func TestRevisionThatCarriesTheRouteStopsGettingRuns(t *testing.T) {
	runs, env, learnEngine, learnSpec := startsAndRuns(t, true)
	t.Logf("runs per start: %v", runs)
	total := 0
	for i, n := range runs {
		if i < 3 && n != 1 {
			t.Fatalf("start %d cost %d run(s) while learning: %v", i, n, runs)
		}
		total += n
	}
	if total >= len(runs)/2 {
		t.Fatalf("%d runs for %d starts of a revision that carries the route: %v", total, len(runs), runs)
	}
	if avoided := counterSum(t, env, "ecswin_remediation_runs_avoided_total"); int(avoided) != len(runs)-total {
		t.Errorf("runs avoided = %v, want %d", avoided, len(runs)-total)
	}
	// A reboot restarts every task of a host, trusted or not: polling's
	// only sign that the proxy may be down, so the host gets a run.
	host := windowsHost(t, env, 0)
	if err := env.Sim.RebootHost(host.InstanceID); err != nil {
		t.Fatal(err)
	}
	before, _ := env.Sim.HostState(host.InstanceID)
	env.Clock.Step(time.Minute)
	run(t, env, learnEngine, policy, learnSpec, 10, settled)
	if after, _ := env.Sim.HostState(host.InstanceID); after.CommandsRun != before.CommandsRun+1 || !after.ProxyHealthy {
		t.Errorf("after a reboot: %d run(s), proxy healthy %t", after.CommandsRun-before.CommandsRun, after.ProxyHealthy)
	}
}

// New tasks of a revision that lacks the route keep getting runs, and
// their hosts end fixed.
func TestRevisionThatLacksTheRouteKeepsItsRuns(t *testing.T) {
	runs, env, _, _ := startsAndRuns(t, false)
	for i, n := range runs {
		if n != 1 {
			t.Fatalf("start %d cost %d run(s): %v", i, n, runs)
		}
	}
	simtest.RequireNoDriftedHosts(t, env.Sim)
}
