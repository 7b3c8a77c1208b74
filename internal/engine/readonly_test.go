package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A read-only engine writes nothing to AWS, even for a policy in Enforce:
// no document, no command, no readiness attribute; RemediationHealthy
// says why nothing was tried, the rest is judged from ECS.
func TestReadOnlyEngineWritesNothing(t *testing.T) {
	env := smallEnv(t)
	eng := engine.New(engine.Deps{Clients: env.Clients, Clock: env.Clock, Metrics: env.Metrics, BootstrapSHA256: simtest.BootstrapSHA256, ReadOnly: true})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	env.Sim.ResetCalls()
	res := run(t, env, eng, policy, spec, 3, nil)
	calls := env.Sim.Calls()
	for _, w := range []struct{ service, operation string }{
		{"ssm", "SendCommand"}, {"ssm", "CreateDocument"}, {"ssm", "UpdateDocument"}, {"ssm", "UpdateDocumentDefaultVersion"},
		{"ecs", "PutAttributes"}, {"ecs", "DeleteAttributes"},
	} {
		if n := calls.Get(w.service, w.operation).Calls; n != 0 {
			t.Errorf("%d %s %s call(s) from a read-only engine", n, w.service, w.operation)
		}
	}
	if c := res.Condition(v1alpha1.ConditionRemediationHealthy); c.Status != "Unknown" || c.Reason != v1alpha1.ReasonReadOnly {
		t.Errorf("RemediationHealthy = %+v, want Unknown/%s", c, v1alpha1.ReasonReadOnly)
	}
	if res.Counts.WindowsInstances == 0 || res.Counts.Port80Conflicts == 0 {
		t.Errorf("the read-only pass did not read the fleet: %+v", res.Counts)
	}
}
