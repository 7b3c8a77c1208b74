package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A report longer than the 2,500 characters ListCommandInvocations shows
// (a host with many containers lacking the route) is read whole with
// GetCommandInvocation; when SSM first answers InvocationDoesNotExist
// there, the host stays in flight, the next poll reads it, and that is no
// failure of remediation.
func TestLongReportReadWhole(t *testing.T) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: 1, TasksPerInstance: 40, Clusters: 1, Seed: 9,
		Drift: scenario.Drift{ContainersWithoutRoute: 1}})
	env := simtest.New(t, sc, simtest.Options{})
	host := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	before, ok := env.Sim.HostState(host)
	if !ok {
		t.Fatalf("no host %s", host)
	}
	env.Sim.FailCalls("GetCommandInvocation", "InvocationDoesNotExist", 1, 1)
	spec := env.Spec(t, v1alpha1.ModeDryRun)

	res := run(t, env, newEngine(env), policy, spec, 30, settled)
	var lacking int32
	for _, hi := range res.HostIssues {
		if hi.InstanceID == host && hi.Reason == "RouteMissing" {
			lacking = hi.ContainersLackingRoute
		}
	}
	if lacking == 0 || int(lacking) != before.ContainersLackingRoute {
		t.Errorf("host %s: %d containers lacking the route, want the simulator's %d (issues %+v)", host, lacking, before.ContainersLackingRoute, res.HostIssues)
	}
	got := env.Sim.Calls().Get("ssm", "GetCommandInvocation")
	if got.Calls != 2 || got.ClientErrors != 1 {
		t.Errorf("GetCommandInvocation: %+v, want the injected InvocationDoesNotExist and one read of the whole report", got)
	}
	if c := res.Condition(v1alpha1.ConditionRemediationHealthy); c.Status != "True" {
		t.Errorf("RemediationHealthy = %+v: a transient InvocationDoesNotExist is no failure", c)
	}
}
