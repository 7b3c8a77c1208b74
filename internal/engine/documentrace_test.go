package engine_test

import (
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

// SSM refusing a send because the document is gone makes the engine
// forget the version it ensured, while the sends for the other clusters
// of the same pass decide whether they may go out. With several clusters
// that must be race-free (go test -race), the refused pass must say so,
// and the next passes ensure the document again and repair the fleet.
func TestDocumentRefusedMidPassAcrossClusters(t *testing.T) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: 120, TasksPerInstance: 2, Clusters: 4, Seed: 5,
		Drift: scenario.Drift{ContainersWithoutRoute: 0.2}})
	env := simtest.New(t, sc, simtest.Options{})
	env.Sim.FailCalls("SendCommand", "InvalidDocument", 1, 1)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	eng := newEngine(env)

	first, err := eng.Pass(t.Context(), policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	rem := first.Condition(v1alpha1.ConditionRemediationHealthy)
	if rem.Status != "False" || !strings.Contains(rem.Message, "InvalidDocument") {
		t.Errorf("RemediationHealthy after the refused send = %s/%s: %s; want False naming InvalidDocument", rem.Status, rem.Reason, rem.Message)
	}
	env.Clock.Step(first.RequeueAfter)
	res := run(t, env, eng, policy, spec, 30, converged)
	if !converged(res) {
		t.Fatalf("not converged after the refused send: %v\n%s", res.HostStates, conditionsString(res))
	}
	simtest.RequireNoDriftedHosts(t, env.Sim)
	if got := env.Sim.Calls().Get("ssm", "DescribeDocument").Calls; got < 2 {
		t.Errorf("DescribeDocument called %d time(s): the document was not ensured again after SSM refused it", got)
	}
}
