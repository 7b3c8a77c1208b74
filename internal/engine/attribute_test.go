package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// The readiness attribute marks exactly the healthy hosts: a host whose
// proxy ecswin may not repair never gets it, and a host that reboots
// (proxy down) loses it.
func TestReadinessAttributeFollowsHealth(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(v1alpha1.ModeEnforce)
	spec.Remediation.HostProxy = v1alpha1.HostProxyReport
	eng := env.Engine()
	settled := func(want int) func(engine.Result) bool {
		return func(r engine.Result) bool {
			return r.Counts.RepairsInFlight == 0 && r.HostStates[engine.HostUnverified] == 0 && r.HostStates[engine.HostHealthy] == want
		}
	}
	res := env.Run(t, eng, policy, spec, 30, settled(9))
	if res.HostStates[engine.HostHealthy] != 9 || res.HostStates[engine.HostDrifted] != 1 {
		t.Fatalf("states %v, want 9 healthy and the dead proxy drifted", res.HostStates)
	}
	if got := readyAttributes(t, env, "windows"); got != 9 {
		t.Fatalf("%d hosts ready, want 9", got)
	}
	var victim string
	for _, h := range env.Sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		if h.ProxyHealthy && h.TaskRoles {
			victim = h.InstanceID
			break
		}
	}
	if err := env.Sim.RebootHost(victim); err != nil {
		t.Fatal(err)
	}
	env.Clock.Step(spec.Intervals.Inventory.Duration) // the next pass sees the restarted tasks
	res = env.Run(t, eng, policy, spec, 30, settled(8))
	if res.HostStates[engine.HostHealthy] != 8 {
		t.Fatalf("states after reboot %v", res.HostStates)
	}
	if got := readyAttributes(t, env, "windows"); got != 8 {
		t.Errorf("%d hosts ready after the reboot, want 8", got)
	}
}
