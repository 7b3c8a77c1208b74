package engine_test

import (
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A cluster that cannot be read marks the inventory unsynced and names
// it; the rest of the fleet is still repaired.
func TestOneClusterFailingTheRestGoesOn(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Clusters = append(spec.Clusters, "gone")
	// Denied once: the first ListTasks call fails for good (not retried).
	env.Sim.FailCalls("ListTasks", "AccessDeniedException", 1, 1)

	res := run(t, env, newEngine(env), policy, spec, 30, converged)
	if !converged(res) {
		t.Fatalf("the readable clusters did not converge: %v", res.HostStates)
	}
	simtest.RequireNoDriftedHosts(t, env.Sim)
	c := res.Condition(v1alpha1.ConditionInventorySynced)
	if c.Status != "False" || c.Reason != v1alpha1.ReasonAWSError || !strings.Contains(c.Message, "gone: ClusterNotFound") {
		t.Errorf("InventorySynced = %+v, want False naming the missing cluster", c)
	}
	if !res.LastSyncTime.IsZero() {
		t.Errorf("LastSyncTime set although no inventory was complete")
	}
}
