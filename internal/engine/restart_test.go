package engine_test

import (
	"context"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
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
