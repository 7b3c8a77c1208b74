package engine_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A real run leaves lint-clean metrics with per-policy series, and
// forgetting the policy leaves none of them.
func TestMetricsFollowThePolicy(t *testing.T) {
	env := smallEnv(t)
	eng := newEngine(env)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	res := run(t, env, eng, policy, spec, 30, converged)
	if res.LastSyncTime.IsZero() {
		t.Fatal("converged without a complete inventory")
	}
	lastSync := fmt.Sprintf(`
# HELP ecswin_fleet_last_sync_timestamp_seconds Unix time of the policy's last complete inventory (every cluster read); 0 until the first.
# TYPE ecswin_fleet_last_sync_timestamp_seconds gauge
ecswin_fleet_last_sync_timestamp_seconds{policy=%q} %s
`, policy.String(), strconv.FormatFloat(float64(res.LastSyncTime.UnixNano())/1e9, 'g', -1, 64))
	if err := testutil.GatherAndCompare(env.Registry, strings.NewReader(lastSync), "ecswin_fleet_last_sync_timestamp_seconds"); err != nil {
		t.Errorf("last sync gauge: %v", err)
	}

	interval := fmt.Sprintf(`
# HELP ecswin_policy_inventory_interval_seconds The policy's inventory interval (spec.intervals.inventory, defaults applied): how often a complete inventory should come.
# TYPE ecswin_policy_inventory_interval_seconds gauge
ecswin_policy_inventory_interval_seconds{policy=%q} %s
`, policy.String(), strconv.FormatFloat(spec.Intervals.Inventory.Seconds(), 'g', -1, 64))
	if err := testutil.GatherAndCompare(env.Registry, strings.NewReader(interval), "ecswin_policy_inventory_interval_seconds"); err != nil {
		t.Errorf("inventory interval gauge: %v", err)
	}

	problems, err := testutil.GatherAndLint(env.Registry)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	if n := len(simtest.PolicySeries(t, env.Registry, policy.String())); n == 0 {
		t.Fatal("no series for the policy after a run")
	}
	// Every call was the policy's: the AWS counters carry its label, and
	// go with it.
	if calls := int(counterSum(t, env, "ecswin_aws_api_calls_total")); calls != env.CallsTotal() {
		t.Errorf("ecswin_aws_api_calls_total = %d, simulator answered %d", calls, env.CallsTotal())
	}
	eng.Forget(policy)
	if left := simtest.PolicySeries(t, env.Registry, policy.String()); len(left) != 0 {
		t.Errorf("series left for the forgotten policy: %v", left)
	}
	if calls := counterSum(t, env, "ecswin_aws_api_calls_total"); calls != 0 {
		t.Errorf("%v AWS calls were counted without the policy's label", calls)
	}
}
