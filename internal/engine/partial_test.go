package engine_test

import (
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine/enginetest"
)

// A cluster that cannot be read marks the inventory unsynced and names
// it; the rest of the fleet is still repaired.
func TestOneClusterFailingTheRestGoesOn(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(v1alpha1.ModeEnforce)
	spec.Clusters = append(spec.Clusters, "gone")
	// Denied once: the first ListTasks call fails for good (not retried).
	url := env.ServeFaulty(t, nil, enginetest.FailTimes("ListTasks", "AccessDeniedException", 1))
	spec.AWS.Endpoints.ECS, spec.AWS.Endpoints.SSM = url, url

	res := env.Run(t, env.Engine(), policy, spec, 30, enginetest.Converged)
	if !enginetest.Converged(res) {
		t.Fatalf("the readable clusters did not converge: %v", res.HostStates)
	}
	enginetest.RequireNoDriftedHosts(t, env.Sim)
	c := enginetest.Condition(res, v1alpha1.ConditionInventorySynced)
	if c.Status != "False" || c.Reason != v1alpha1.ReasonAWSError || !strings.Contains(c.Message, "gone: ClusterNotFound") {
		t.Errorf("InventorySynced = %+v, want False naming the missing cluster", c)
	}
	if !res.LastSyncTime.IsZero() {
		t.Errorf("LastSyncTime set although no inventory was complete")
	}
}
