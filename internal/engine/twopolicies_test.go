package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// Two policies on the same clusters never have commands on one host at
// the same time: the second waits until the first's runs have ended.
func TestTwoPoliciesNeverOverlapOnAHost(t *testing.T) {
	env := smallEnv(t)
	eng := newEngine(env)
	enforce, audit := policy, engine.PolicyRef{Namespace: "default", Name: "audit"}
	enforceSpec, auditSpec := env.Spec(t, v1alpha1.ModeEnforce), env.Spec(t, v1alpha1.ModeDryRun)

	first, err := eng.Pass(t.Context(), enforce, enforceSpec)
	if err != nil {
		t.Fatal(err)
	}
	second, err := eng.Pass(t.Context(), audit, auditSpec)
	if err != nil {
		t.Fatal(err)
	}
	if first.HostsTargeted == 0 || second.HostsTargeted != 0 {
		t.Fatalf("enforce sent to %d hosts, then audit to %d; want some, then none", first.HostsTargeted, second.HostsTargeted)
	}
	run(t, env, eng, enforce, enforceSpec, 30, converged)
	checked := run(t, env, eng, audit, auditSpec, 30, func(r engine.Result) bool {
		return r.HostStates[engine.HostUnverified] == 0 && r.Counts.RepairsInFlight == 0
	})
	if checked.HostStates[engine.HostHealthy] != int(checked.Counts.WindowsInstances) {
		t.Errorf("audit after the repairs: states %v, want all healthy", checked.HostStates)
	}
	eng.Forget(audit)
	eng.Forget(enforce)
}
