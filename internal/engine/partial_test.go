package engine_test

import (
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A cluster that cannot be read marks the inventory unsynced and names
// it, with the cause to fix first as its reason; the rest of the fleet
// is still repaired, and the conditions judged from what could not be
// read are Unknown, not True.
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
	if c.Status != "False" || c.Reason != v1alpha1.ReasonAccessDenied || !strings.Contains(c.Message, "gone: ClusterNotFound") ||
		!strings.Contains(c.Message, "grant ecs:ListTasks") {
		t.Errorf("InventorySynced = %+v, want False/AccessDenied naming the missing cluster and the action", c)
	}
	// Conflicts found in what was read stay a fact (False); which cluster's
	// tasks the denial hid varies, so NoPortConflicts is only never True.
	if c := res.Condition(v1alpha1.ConditionNoPortConflicts); c.Status == "True" {
		t.Errorf("NoPortConflicts = %+v beside an incomplete inventory", c)
	}
	for _, typ := range []string{v1alpha1.ConditionRoutesHealthy, v1alpha1.ConditionCredentialProxyHealthy, v1alpha1.ConditionRemediationHealthy} {
		if c := res.Condition(typ); c.Status != "Unknown" || c.Reason != v1alpha1.ReasonInventoryIncomplete || !strings.Contains(c.Message, "gone: ClusterNotFound") {
			t.Errorf("%s = %+v, want Unknown/%s naming the missing cluster", typ, c, v1alpha1.ReasonInventoryIncomplete)
		}
	}
	if !res.LastSyncTime.IsZero() {
		t.Errorf("LastSyncTime set although no inventory was complete")
	}
}
