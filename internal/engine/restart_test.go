package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A controller restarted while commands run must not send a second
// command to any of their hosts: SSM tells the new engine what is in
// flight.
func TestRestartMidRepairSendsNoDuplicate(t *testing.T) {
	env := smallEnv(t)
	env.Sim.SetSSMTiming(fleetsim.SSMTiming{Delivery: 1e9, Execution: 60e9})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	ctx := context.Background()

	first, err := newEngine(env).Pass(ctx, policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	if first.HostsTargeted == 0 {
		t.Fatal("first pass sent nothing")
	}
	sent := env.Sim.Calls().Get("ssm", "SendCommand").Calls

	restarted := newEngine(env)
	env.Clock.Step(first.RequeueAfter)
	second, err := restarted.Pass(ctx, policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := env.Sim.Calls().Get("ssm", "SendCommand").Calls; got != sent {
		t.Fatalf("restarted engine sent %d more command(s) while %d hosts were in flight", got-sent, first.Counts.RepairsInFlight)
	}
	if second.Counts.RepairsInFlight != first.Counts.RepairsInFlight {
		t.Errorf("restarted engine sees %d hosts in flight, want %d", second.Counts.RepairsInFlight, first.Counts.RepairsInFlight)
	}
	res := run(t, env, restarted, policy, spec, 30, converged)
	if !converged(res) {
		t.Fatalf("not converged after restart: %+v %v", res.Counts, res.HostStates)
	}
}

// A restart over a fleet verified moments ago sends nothing: the new
// engine reads each host's last run back from SSM, in Enforce and in
// DryRun alike (checks are commands too), and says so. The hosts keep
// their state, and they are checked again when the reverify period since
// their last run, not since the restart, is over.
func TestRestartOverAVerifiedFleetSendsNothing(t *testing.T) {
	for _, mode := range []v1alpha1.Mode{v1alpha1.ModeEnforce, v1alpha1.ModeDryRun} {
		t.Run(string(mode), func(t *testing.T) {
			env := smallEnv(t)
			spec := env.Spec(t, mode)
			res := run(t, env, newEngine(env), policy, spec, 30, settled)
			if !settled(res) {
				t.Fatalf("did not settle: %v", res.HostStates)
			}
			verifiedAt := env.Clock.Now()
			sent := env.Sim.Calls().Get("ssm", "SendCommand").Calls

			restarted := newEngine(env)
			env.Clock.Step(spec.Intervals.Inventory.Duration)
			first, err := restarted.Pass(t.Context(), policy, spec)
			if err != nil {
				t.Fatal(err)
			}
			for s, n := range res.HostStates {
				if first.HostStates[s] != n {
					t.Errorf("after the restart: states %v, want the ones before it %v", first.HostStates, res.HostStates)
					break
				}
			}
			if !hasEvent(first, engine.EventLastRunsRecovered) {
				t.Errorf("no %s event: %+v", engine.EventLastRunsRecovered, first.Events)
			}
			// Passes until just before the reverify period since the
			// last runs ends send nothing to a host that is not due.
			for env.Clock.Now().Add(spec.Intervals.Inventory.Duration).Before(verifiedAt.Add(spec.Intervals.Reverify.Duration)) {
				env.Clock.Step(spec.Intervals.Inventory.Duration)
				if _, err := restarted.Pass(t.Context(), policy, spec); err != nil {
					t.Fatal(err)
				}
			}
			if got := env.Sim.Calls().Get("ssm", "SendCommand").Calls; got != sent {
				t.Fatalf("the restarted engine sent %d command(s) to hosts that were not due", got-sent)
			}
			env.Clock.Step(spec.Intervals.Inventory.Duration)
			due, err := restarted.Pass(t.Context(), policy, spec)
			if err != nil {
				t.Fatal(err)
			}
			if want := reachableHosts(env); due.HostsTargeted != want {
				t.Errorf("once the reverify period was over: %d host(s) targeted, want every reachable one (%d)", due.HostsTargeted, want)
			}
		})
	}
}

// A host that breaks right after a restart (a task started without the
// route) is repaired within one inventory interval and a run, not after
// the rest of the fleet has been checked again: the restarted engine knows
// the others were verified, and the in-flight budget goes to the host
// that needs it.
func TestHostBrokenAfterRestartIsRepairedFirst(t *testing.T) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: 60, TasksPerInstance: 2, Clusters: 2, Seed: 11})
	env := simtest.New(t, sc, simtest.Options{})
	timing := fleetsim.SSMTiming{Delivery: 2 * time.Second, Execution: 30 * time.Second}
	env.Sim.SetSSMTiming(timing)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Remediation.MaxInFlight = 5
	if res := run(t, env, newEngine(env), policy, spec, 200, converged); !converged(res) {
		t.Fatalf("did not converge: %v", res.HostStates)
	}
	sent := sentTo(env)

	restarted := newEngine(env)
	victim := env.Sim.Instances(simWindows)[len(sc.Clusters)*10]
	if _, err := env.Sim.StartTask(victim, "web", false); err != nil {
		t.Fatal(err)
	}
	brokeAt := env.Clock.Now()
	deadline := brokeAt.Add(spec.Intervals.Inventory.Duration + timing.Delivery + timing.Execution + engine.DefaultPollInterval)
	repaired := false
	for !repaired && !env.Clock.Now().After(deadline) {
		res, err := restarted.Pass(t.Context(), policy, spec)
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Step(res.RequeueAfter)
		h, _ := env.Sim.HostState(victim)
		repaired = h.ContainersLackingRoute == 0
	}
	if !repaired {
		t.Fatalf("%s broke at %s and was not repaired by %s", victim, brokeAt.Format(time.TimeOnly), deadline.Format(time.TimeOnly))
	}
	for id, n := range sentTo(env) {
		if extra := n - sent[id]; id != victim && extra > 0 {
			t.Errorf("the restarted engine sent %d command(s) to %s, which was verified and not due", extra, id)
		}
	}
}

func hasEvent(res engine.Result, reason string) bool {
	for _, e := range res.Events {
		if e.Reason == reason {
			return true
		}
	}
	return false
}

// reachableHosts counts the simulator's Windows hosts SSM can reach.
func reachableHosts(env *simtest.Env) int {
	n := 0
	for _, h := range env.Sim.HostStates(simWindows) {
		if h.SSMOnline {
			n++
		}
	}
	return n
}

// sentTo counts the commands each Windows host of the simulator has run.
func sentTo(env *simtest.Env) map[string]int {
	out := map[string]int{}
	for _, h := range env.Sim.HostStates(simWindows) {
		out[h.InstanceID] = h.CommandsRun
	}
	return out
}
