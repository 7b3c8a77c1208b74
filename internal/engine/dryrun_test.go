package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestDryRunChangesNothing(t *testing.T) {
	env := smallEnv(t)
	before := simtest.WindowsHosts(env.Sim)
	eng := newEngine(env)
	allChecked := func(r engine.Result) bool {
		return r.Counts.RepairsInFlight == 0 && r.HostStates[engine.HostUnverified] == 0 && r.CommandsSent == 0 && r.Inventoried
	}
	res := run(t, env, eng, policy, env.Spec(t, v1alpha1.ModeDryRun), 30, allChecked)
	if !allChecked(res) {
		t.Fatalf("hosts not all checked: states %v", res.HostStates)
	}
	simtest.RequireOnlyChecksRan(t, env.Sim, before)
	drifted := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})
	if int(res.Counts.DriftedHosts) != len(drifted) || res.HostStates[engine.HostDrifted] != len(drifted) {
		t.Errorf("DriftedHosts = %d, Drifted state = %d, simulator has %d drifted", res.Counts.DriftedHosts, res.HostStates[engine.HostDrifted], len(drifted))
	}
	if got := readyAttributes(t, env, "windows"); got != 0 {
		t.Errorf("DryRun put the readiness attribute on %d hosts", got)
	}
	if got := res.Condition(v1alpha1.ConditionRemediationHealthy); got.Reason != v1alpha1.ReasonDryRun {
		t.Errorf("RemediationHealthy = %+v, want reason %s", got, v1alpha1.ReasonDryRun)
	}
	if got := res.Condition(v1alpha1.ConditionRoutesHealthy); got.Status != "False" {
		t.Errorf("RoutesHealthy = %+v, want False", got)
	}
}
