package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/engine/enginetest"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

var policy = engine.PolicyRef{Namespace: "default", Name: "fleet"}

func smallEnv(t *testing.T) *enginetest.Env {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatalf("loading scenario: %v", err)
	}
	return enginetest.New(t, sc, enginetest.Options{})
}

func TestPassConvergesInEnforce(t *testing.T) {
	env := smallEnv(t)
	before := env.Sim.FleetSummary()
	if len(env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})) == 0 {
		t.Fatalf("scenario has no drift to repair: %+v", before)
	}
	eng := env.Engine()
	res := env.Run(t, eng, policy, env.Spec(v1alpha1.ModeEnforce), 30, enginetest.Converged)
	if !enginetest.Converged(res) {
		t.Fatalf("not converged after 30 passes: counts %+v states %v\n%s", res.Counts, res.HostStates, enginetest.ConditionsString(res))
	}
	if drifted := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}); len(drifted) != 0 {
		t.Errorf("simulator still has drifted hosts %v", drifted)
	}
	if got := enginetest.Condition(res, v1alpha1.ConditionNoPortConflicts); got.Status != "False" || got.Reason != v1alpha1.ReasonConflictsFound {
		t.Errorf("NoPortConflicts = %+v, want False/%s", got, v1alpha1.ReasonConflictsFound)
	}
	if res.Counts.WindowsInstances != 10 || res.Counts.ContainerInstances != 12 {
		t.Errorf("counts = %+v, want 10 Windows of 12 instances", res.Counts)
	}
	t.Logf("converged: counts %+v states %v calls %d", res.Counts, res.HostStates, env.CallsTotal())
}
