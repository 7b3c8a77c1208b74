package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type states []PolicyState

func (s *states) MetricsState() []PolicyState { return *s }

func newTest(t *testing.T) (*Metrics, *prometheus.Registry, *states) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	src := &states{}
	m.SetStateSource(src)
	return m, reg, src
}

func TestLint(t *testing.T) {
	m, reg, src := newTest(t)
	*src = states{{Policy: "ns/a", HostsByState: map[string]int{"Healthy": 1}, Port80Conflicts: []Port80Conflict{{Cluster: "c", Family: "f", TaskDefinitions: 1}}}}
	m.ObserveAPICall("ECS", "ListTasks", "success", false)
	m.ObserveAPICall("ECS", "ListTasks", "throttled", true)
	m.DriftDetected("ns/a", "RouteMissing")
	m.RepairFinished("ns/a", RepairSucceeded, 42*time.Second)
	m.MessageRead("ns/a", "task", "handled")
	m.HintDue("task", 3*time.Second)
	m.ReceiveFailed("ns/a", "ReceiveMessage", "not_found")
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

func TestStateGaugesFollowTheSource(t *testing.T) {
	_, reg, src := newTest(t)
	*src = states{
		{Policy: "ns/a", HostsByState: map[string]int{"Healthy": 3, "Drifted": 1}, ContainersLackingRoute: 2,
			Port80Conflicts: []Port80Conflict{{Cluster: "win", Family: "iis", TaskDefinitions: 2}}},
		{Policy: "ns/b", HostsByState: map[string]int{"Healthy": 5}},
	}
	want := `
# HELP ecswin_fleet_hosts Windows container instances by state (Healthy, Drifted, Repairing, Unverified, Unreachable, ReportUnreadable, RepairFailed).
# TYPE ecswin_fleet_hosts gauge
ecswin_fleet_hosts{policy="ns/a",state="Drifted"} 1
ecswin_fleet_hosts{policy="ns/a",state="Healthy"} 3
ecswin_fleet_hosts{policy="ns/b",state="Healthy"} 5
# HELP ecswin_fleet_containers_lacking_route NAT-mode task containers without the credential route, from the hosts' last reports.
# TYPE ecswin_fleet_containers_lacking_route gauge
ecswin_fleet_containers_lacking_route{policy="ns/a"} 2
ecswin_fleet_containers_lacking_route{policy="ns/b"} 0
# HELP ecswin_audit_port80_conflicts Task-definition revisions mapping host port 80 on clusters with task roles on, by cluster and family.
# TYPE ecswin_audit_port80_conflicts gauge
ecswin_audit_port80_conflicts{cluster="win",family="iis",policy="ns/a"} 2
`
	names := []string{"ecswin_fleet_hosts", "ecswin_fleet_containers_lacking_route", "ecswin_audit_port80_conflicts"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Fatal(err)
	}
	*src = states{{Policy: "ns/b", HostsByState: map[string]int{"Healthy": 4}}}
	want = `
# HELP ecswin_fleet_hosts Windows container instances by state (Healthy, Drifted, Repairing, Unverified, Unreachable, ReportUnreadable, RepairFailed).
# TYPE ecswin_fleet_hosts gauge
ecswin_fleet_hosts{policy="ns/b",state="Healthy"} 4
# HELP ecswin_fleet_containers_lacking_route NAT-mode task containers without the credential route, from the hosts' last reports.
# TYPE ecswin_fleet_containers_lacking_route gauge
ecswin_fleet_containers_lacking_route{policy="ns/b"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Errorf("after the source dropped a policy and a conflict: %v", err)
	}
}

func TestCountersAndForget(t *testing.T) {
	m, reg, _ := newTest(t)
	m.ObserveAPICall("SSM", "SendCommand", "throttled", true)
	m.ObserveAPICall("SSM", "SendCommand", "success", false)
	m.DriftDetected("ns/a", "RouteMissing")
	m.DriftDetected("ns/b", "RouteMissing")
	m.RepairFinished("ns/a", RepairFailed, 0)
	if got := testutil.ToFloat64(m.throttles.WithLabelValues("SSM", "SendCommand")); got != 1 {
		t.Errorf("throttles = %v, want 1", got)
	}
	if got := testutil.CollectAndCount(m.apiCalls); got != 2 {
		t.Errorf("api call series = %d, want 2", got)
	}
	if got := testutil.CollectAndCount(m.ssmDuration); got != 0 {
		t.Errorf("a run of unknown duration was observed: %d series", got)
	}
	m.ForgetPolicy("ns/a")
	if got := testutil.CollectAndCount(m.drift); got != 1 {
		t.Errorf("drift series after forgetting ns/a = %d, want 1", got)
	}
	if got := testutil.CollectAndCount(m.repairs); got != 0 {
		t.Errorf("repair series after forgetting ns/a = %d, want 0", got)
	}
	var nilMetrics *Metrics
	nilMetrics.ObserveAPICall("a", "b", "c", true) // a nil *Metrics records nothing and does not panic
	_ = reg
}

// The last-sync gauge is the policy's last complete inventory in Unix
// seconds, 0 before the first, and goes when the source drops the policy.
func TestLastSyncGauge(t *testing.T) {
	_, reg, src := newTest(t)
	const name = "ecswin_fleet_last_sync_timestamp_seconds"
	*src = states{
		{Policy: "ns/synced", LastSync: time.Unix(1_700_000_000, 500_000_000)},
		{Policy: "ns/never"},
	}
	want := `
# HELP ecswin_fleet_last_sync_timestamp_seconds Unix time of the policy's last complete inventory (every cluster read); 0 until the first.
# TYPE ecswin_fleet_last_sync_timestamp_seconds gauge
ecswin_fleet_last_sync_timestamp_seconds{policy="ns/never"} 0
ecswin_fleet_last_sync_timestamp_seconds{policy="ns/synced"} 1.7000000005e+09
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), name); err != nil {
		t.Fatal(err)
	}
	*src = states{{Policy: "ns/never"}}
	if n, err := testutil.GatherAndCount(reg, name); err != nil || n != 1 {
		t.Errorf("series after the source dropped ns/synced = %d (%v), want 1", n, err)
	}
}

// The inventory-interval gauge is the policy's interval in seconds, there
// for every policy the source gives (0 if unknown, so the stale-sync
// alert's join keeps it), and goes when the source drops the policy.
func TestInventoryIntervalGauge(t *testing.T) {
	_, reg, src := newTest(t)
	const name = "ecswin_policy_inventory_interval_seconds"
	*src = states{
		{Policy: "ns/fast", InventoryInterval: 10 * time.Second},
		{Policy: "ns/slow", InventoryInterval: time.Hour},
		{Policy: "ns/unknown"},
	}
	want := `
# HELP ecswin_policy_inventory_interval_seconds The policy's inventory interval (spec.intervals.inventory, defaults applied): how often a complete inventory should come.
# TYPE ecswin_policy_inventory_interval_seconds gauge
ecswin_policy_inventory_interval_seconds{policy="ns/fast"} 10
ecswin_policy_inventory_interval_seconds{policy="ns/slow"} 3600
ecswin_policy_inventory_interval_seconds{policy="ns/unknown"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), name); err != nil {
		t.Fatal(err)
	}
	*src = states{{Policy: "ns/slow", InventoryInterval: 90 * time.Second}}
	want = `
# HELP ecswin_policy_inventory_interval_seconds The policy's inventory interval (spec.intervals.inventory, defaults applied): how often a complete inventory should come.
# TYPE ecswin_policy_inventory_interval_seconds gauge
ecswin_policy_inventory_interval_seconds{policy="ns/slow"} 90
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), name); err != nil {
		t.Errorf("after the source dropped two policies and changed one: %v", err)
	}
}
