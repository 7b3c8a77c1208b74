package engine_test

import (
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// Two policies on the same clusters never have commands on one host at
// the same time: the second waits until the first's runs have ended. That
// holds however the second reaches the account: host locks belong to the
// target, not to the clients' settings.
func TestTwoPoliciesNeverOverlapOnAHost(t *testing.T) {
	cases := map[string]func(*v1alpha1.FleetPolicySpec){
		"same settings":      func(*v1alpha1.FleetPolicySpec) {},
		"another retry mode": func(s *v1alpha1.FleetPolicySpec) { s.AWS.RetryMode = v1alpha1.RetryAdaptive },
		"another endpoint URL": func(s *v1alpha1.FleetPolicySpec) {
			e := s.AWS.Endpoints // the same simulator by another name
			e.ECS, e.SSM = strings.Replace(e.ECS, "127.0.0.1", "localhost", 1), strings.Replace(e.SSM, "127.0.0.1", "localhost", 1)
		},
	}
	for name, reach := range cases {
		t.Run(name, func(t *testing.T) {
			env := smallEnv(t)
			eng := newEngine(env)
			enforce, audit := policy, engine.PolicyRef{Namespace: "default", Name: "audit"}
			enforceSpec, auditSpec := env.Spec(t, v1alpha1.ModeEnforce), env.Spec(t, v1alpha1.ModeDryRun)
			auditSpec.AWS.Endpoints = auditSpec.AWS.Endpoints.DeepCopy()
			reach(&auditSpec)

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
			checked := run(t, env, eng, audit, auditSpec, 30, settled)
			if checked.HostStates[engine.HostHealthy] != int(checked.Counts.WindowsInstances) {
				t.Errorf("audit after the repairs: states %v, want all healthy", checked.HostStates)
			}
			// The audit recovered the enforce policy's commands (same
			// document) and read their reports: no host ran a second one.
			for _, h := range env.Sim.HostStates(simWindows) {
				if h.CommandsRun > 1 {
					t.Errorf("host %s ran %d commands, want one", h.InstanceID, h.CommandsRun)
				}
			}

			// Both policies know the fleet now. A host starts a task
			// without the route: both want it at the next inventory, and
			// only the first to ask gets it.
			victim := env.Sim.Instances(simWindows)[0]
			if _, err := env.Sim.StartTask(victim, "web", false); err != nil {
				t.Fatal(err)
			}
			env.Clock.Step(enforceSpec.Intervals.Inventory.Duration)
			repair, err := eng.Pass(t.Context(), enforce, enforceSpec)
			if err != nil {
				t.Fatal(err)
			}
			check, err := eng.Pass(t.Context(), audit, auditSpec)
			if err != nil {
				t.Fatal(err)
			}
			if repair.HostsTargeted != 1 || check.HostsTargeted != 0 {
				t.Errorf("after a new task on %s: enforce sent to %d host(s), audit to %d; want 1, then none while it runs", victim, repair.HostsTargeted, check.HostsTargeted)
			}
			eng.Forget(audit)
			eng.Forget(enforce)
		})
	}
}

// A policy that changes how it reaches its account (retry mode,
// endpoints) keeps what it knows: no second recovery, no host checked
// again before it is due.
func TestChangingRetryModeKeepsTheMemory(t *testing.T) {
	env := smallEnv(t)
	eng := newEngine(env)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	res := run(t, env, eng, policy, spec, 30, converged)
	if !converged(res) {
		t.Fatalf("not converged: %v", res.HostStates)
	}
	listed := env.Sim.Calls().Get("ssm", "ListCommands").Calls
	spec.AWS.RetryMode = v1alpha1.RetryAdaptive
	env.Clock.Step(spec.Intervals.Inventory.Duration)
	after, err := eng.Pass(t.Context(), policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	if after.HostsTargeted != 0 || after.HostStates[engine.HostHealthy] != res.HostStates[engine.HostHealthy] {
		t.Errorf("after the retry mode changed: %d host(s) targeted, states %v; want none, as before %v", after.HostsTargeted, after.HostStates, res.HostStates)
	}
	if got := env.Sim.Calls().Get("ssm", "ListCommands").Calls; got != listed {
		t.Errorf("SSM was asked again what runs (%d ListCommands, before %d): the memory was dropped", got, listed)
	}
}
