package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
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
	*src = states{{Policy: "ns/a", HostsByState: map[string]int{"Healthy": 1}, Port80Conflicts: []Port80Conflict{{Cluster: "c", Family: "f", TaskDefinitions: 1}},
		HostFindings: map[string]int{"RouteMissing": 2}}}
	m.InitPolicy("ns/a")
	m.ObserveAPICall(awsapi.APICall{Policy: "ns/a", Service: "ECS", Operation: "ListTasks", Result: "success"})
	m.ObserveAPICall(awsapi.APICall{Policy: "ns/a", Service: "ECS", Operation: "ListTasks", Result: "throttled", Throttled: true})
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
	m.ObserveAPICall(awsapi.APICall{Policy: "ns/a", Service: "SSM", Operation: "SendCommand", Result: "throttled", Throttled: true})
	m.ObserveAPICall(awsapi.APICall{Policy: "ns/a", Service: "SSM", Operation: "SendCommand", Result: "success"})
	m.ObserveAPICall(awsapi.APICall{Policy: "ns/b", Service: "ECS", Operation: "ListTasks", Result: "success"})
	m.DriftDetected("ns/a", "RouteMissing")
	m.DriftDetected("ns/b", "RouteMissing")
	m.RepairFinished("ns/a", RepairFailed, 0)
	m.RepairFinished("ns/a", RepairSucceeded, time.Minute)
	if got := testutil.ToFloat64(m.throttles.WithLabelValues("ns/a", "SSM", "SendCommand")); got != 1 {
		t.Errorf("throttles = %v, want 1", got)
	}
	if got := testutil.CollectAndCount(m.apiCalls); got != 3 {
		t.Errorf("api call series = %d, want 3", got)
	}
	if got := testutil.CollectAndCount(m.ssmDuration); got != 1 {
		t.Errorf("histogram series = %d, want 1: only the run of known duration", got)
	}
	m.ForgetPolicy("ns/a")
	for name, c := range map[string]struct {
		c    prometheus.Collector
		want int
	}{"drift": {m.drift, 1}, "repairs": {m.repairs, 0}, "api calls": {m.apiCalls, 1}, "throttles": {m.throttles, 0}, "durations": {m.ssmDuration, 0}} {
		if got := testutil.CollectAndCount(c.c); got != c.want {
			t.Errorf("%s series after forgetting ns/a = %d, want %d", name, got, c.want)
		}
	}
	var nilMetrics *Metrics
	nilMetrics.ObserveAPICall(awsapi.APICall{Throttled: true}) // a nil *Metrics records nothing and does not panic
	nilMetrics.InitPolicy("x")
	_ = reg
}

// A policy's counters exist from its first pass, at zero, for every
// known label value: a throttling ratio or a failure rate reads 0, not
// "no data", before the first throttle or failure.
func TestInitPolicyStartsCountersAtZero(t *testing.T) {
	m, _, _ := newTest(t)
	m.InitPolicy("ns/a")
	ops := len(awsapi.APIOperations())
	for name, c := range map[string]struct {
		c    prometheus.Collector
		want int
	}{
		"repairs":   {m.repairs, len(RepairResults)},
		"drift":     {m.drift, len(DriftReasons)},
		"api calls": {m.apiCalls, 2 * ops},
		"throttles": {m.throttles, ops},
	} {
		if got := testutil.CollectAndCount(c.c); got != c.want {
			t.Errorf("%s: %d series after InitPolicy, want %d", name, got, c.want)
		}
	}
	if got := testutil.ToFloat64(m.throttles.WithLabelValues("ns/a", "ECS", "ListTasks")); got != 0 {
		t.Errorf("ListTasks throttles = %v, want 0", got)
	}
	if got := testutil.ToFloat64(m.apiCalls.WithLabelValues("ns/a", "SSM", "SendCommand", "success")); got != 0 {
		t.Errorf("SendCommand successes = %v, want 0", got)
	}
	m.RepairFinished("ns/a", RepairFailed, 0)
	m.InitPolicy("ns/a") // again, as after a restart of the policy's memory: counts stay
	if got := testutil.ToFloat64(m.repairs.WithLabelValues("ns/a", RepairFailed)); got != 1 {
		t.Errorf("failed repairs after a second InitPolicy = %v, want 1", got)
	}
}

// build_info is one series of value 1 with the release and the pinned
// hash, which SetRouteBootstrapSHA256 replaces.
func TestBuildInfo(t *testing.T) {
	m, reg, _ := newTest(t)
	hash := strings.Repeat("ab", 32)
	m.SetRouteBootstrapSHA256(hash)
	want := fmt.Sprintf(`
# HELP ecswin_build_info Always 1: the release of this process and the route-bootstrap.exe SHA-256 its SSM document pins (empty: none, so no runs are sent).
# TYPE ecswin_build_info gauge
ecswin_build_info{commit=%q,route_bootstrap_sha256=%q,version=%q} 1
`, buildinfo.Commit(), hash, buildinfo.Version())
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ecswin_build_info"); err != nil {
		t.Fatal(err)
	}
}

// Host findings by reason and drifted hosts follow the source, as the
// other state gauges.
func TestHostFindingsGauges(t *testing.T) {
	_, reg, src := newTest(t)
	*src = states{{Policy: "ns/a", DriftedHosts: 3, HostFindings: map[string]int{"RouteMissing": 3, "RepairFailed": 1}}}
	want := `
# HELP ecswin_fleet_drifted_hosts Windows hosts whose last report found drift (containers lacking the route or the credential proxy down), a repair in flight or not.
# TYPE ecswin_fleet_drifted_hosts gauge
ecswin_fleet_drifted_hosts{policy="ns/a"} 3
# HELP ecswin_audit_host_findings Windows hosts with a finding of that reason in the last audit (from their last report and last run, so a retry in flight does not hide them).
# TYPE ecswin_audit_host_findings gauge
ecswin_audit_host_findings{policy="ns/a",reason="RepairFailed"} 1
ecswin_audit_host_findings{policy="ns/a",reason="RouteMissing"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ecswin_audit_host_findings", "ecswin_fleet_drifted_hosts"); err != nil {
		t.Fatal(err)
	}
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

// The drift reasons started at zero are the ones the engine counts.
func TestDriftReasonsAreTheAuditsReasons(t *testing.T) {
	if DriftRouteMissing != audit.ReasonRouteMissing || DriftProxyBroken != audit.ReasonProxyBroken {
		t.Errorf("drift reasons %v, the audit's are %s and %s", DriftReasons, audit.ReasonRouteMissing, audit.ReasonProxyBroken)
	}
}
