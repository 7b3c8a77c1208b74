package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/inventory"
)

// The readiness attribute marks exactly the healthy hosts: a host whose
// proxy ecswin may not repair never gets it. (Losing it is the next test.)
func TestReadinessAttributeFollowsHealth(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Remediation.HostProxy = v1alpha1.HostProxyReport
	eng := newEngine(env)
	fleet := env.Sim.FleetSummary()
	if fleet.DeadProxies == 0 || len(windowsHostsOf(env, "windows")) != fleet.WindowsHosts {
		t.Fatalf("the scenario changed: %+v", fleet)
	}
	healthy := fleet.WindowsHosts - fleet.DeadProxies
	settledHealthy := func(r engine.Result) bool { return settled(r) && r.HostStates[engine.HostHealthy] == healthy }
	res := run(t, env, eng, policy, spec, 30, settledHealthy)
	if res.HostStates[engine.HostHealthy] != healthy || res.HostStates[engine.HostDrifted] != fleet.DeadProxies {
		t.Fatalf("states %v, want %d healthy and the %d dead proxies drifted", res.HostStates, healthy, fleet.DeadProxies)
	}
	if got := readyAttributes(t, env, "windows"); got != healthy {
		t.Fatalf("%d hosts ready, want %d", got, healthy)
	}
}

// A ready host that breaks and whose run then cannot make it healthy
// loses the attribute in Enforce: when its report finds the proxy down
// but the policy leaves the proxy alone (hostProxy Report), and when the
// run itself fails.
func TestReadinessAttributeRemovedWhenTheRunCannotRepair(t *testing.T) {
	tests := map[string]struct {
		hostProxy v1alpha1.HostProxyMode
		failRuns  bool
		wantState engine.HostState
		// deadProxiesToo: the scenario's dead proxies are in wantState
		// too once settled, since nothing repairs them.
		deadProxiesToo bool
	}{
		"report found the proxy down, policy may not repair it": {
			hostProxy: v1alpha1.HostProxyReport, wantState: engine.HostDrifted, deadProxiesToo: true,
		},
		"run failed": {
			hostProxy: v1alpha1.HostProxyEnforce, failRuns: true, wantState: engine.HostRepairFailed,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := smallEnv(t)
			wantInState := 1 // the victim
			if tc.deadProxiesToo {
				wantInState += env.Sim.FleetSummary().DeadProxies
			}
			spec := env.Spec(t, v1alpha1.ModeEnforce)
			spec.Remediation.HostProxy = tc.hostProxy
			eng := newEngine(env)
			run(t, env, eng, policy, spec, 30, settled)
			var victim fleetsim.HostState
			for _, h := range env.Sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true}) {
				if h.ProxyHealthy && h.TaskRoles && h.SSMOnline {
					victim = h
					break
				}
			}
			if !readyHosts(t, env, "windows")[victim.ContainerInstanceARN] {
				t.Fatalf("healthy host %s has no readiness attribute to lose", victim.InstanceID)
			}

			if tc.failRuns {
				if err := env.Sim.SetCommandBehavior(victim.InstanceID, fleetsim.BehaveFail); err != nil {
					t.Fatal(err)
				}
			}
			if err := env.Sim.RebootHost(victim.InstanceID); err != nil {
				t.Fatal(err)
			}
			env.Clock.Step(spec.Intervals.Inventory.Duration) // the next pass sees the restarted tasks
			removed, ran := 0, false
			res := run(t, env, eng, policy, spec, 30, func(r engine.Result) bool {
				removed += r.ReadyAttributesRemoved
				ran = ran || r.HostsTargeted > 0
				return ran && settled(r)
			})
			if !ran || !settled(res) || res.HostStates[tc.wantState] != wantInState {
				t.Fatalf("after the reboot: ran %v, states %v; want %d host(s) %s", ran, res.HostStates, wantInState, tc.wantState)
			}
			if st, _ := env.Sim.HostState(victim.InstanceID); st.ProxyHealthy {
				t.Fatalf("the victim's proxy was repaired: %+v", st)
			}
			if readyHosts(t, env, "windows")[victim.ContainerInstanceARN] {
				t.Errorf("%s keeps %s=%s although its run left it %s", victim.InstanceID, inventory.ReadyAttribute, inventory.ReadyValue, tc.wantState)
			}
			if removed != 1 {
				t.Errorf("ReadyAttributesRemoved summed to %d, want 1 (the victim)", removed)
			}
		})
	}
}
