package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// PolicyState is what the state gauges show for one policy.
type PolicyState struct {
	// Policy is namespace/name.
	Policy string
	// HostsByState counts Windows hosts by state name.
	HostsByState map[string]int
	// ContainersLackingRoute over all hosts, from their last reports.
	ContainersLackingRoute int
	// DriftedHosts are the hosts whose last report found drift,
	// whatever their state now (a repair in flight does not hide it).
	DriftedHosts int
	// Port80Conflicts are the conflicting task definitions, grouped.
	Port80Conflicts []Port80Conflict
	// LastSync is when an inventory of the policy's fleet last completed
	// with every cluster read; zero if none has yet.
	LastSync time.Time
	// InventoryInterval is the policy's effective spec.intervals.inventory
	// (defaults applied), so alerts on LastSync can scale with it.
	InventoryInterval time.Duration
	// HostFindings counts, by reason, the hosts with a finding of that
	// reason in the last audit. Findings come from a host's last report
	// and last run, so a retry in flight does not hide them.
	HostFindings map[string]int
	// ProxyRepairSuspended: the policy's proxy-repair breaker is open,
	// so broken credential proxies are reported, not repaired.
	ProxyRepairSuspended bool
}

// Port80Conflict counts conflicting task-definition revisions of one
// family on one cluster.
type Port80Conflict struct {
	Cluster         string
	Family          string
	TaskDefinitions int
}

// StateSource gives the current state of every live policy.
type StateSource interface {
	MetricsState() []PolicyState
}

var (
	hostsDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "fleet", "hosts"),
		"Windows container instances by state (Healthy, Drifted, Repairing, Unverified, Unreachable, ReportUnreadable, RepairFailed).",
		[]string{LabelPolicy, LabelState}, nil)
	lackingRouteDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "fleet", "containers_lacking_route"),
		"NAT-mode task containers without the credential route, from the hosts' last reports.",
		[]string{LabelPolicy}, nil)
	port80Desc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "audit", "port80_conflicts"),
		"Task-definition revisions mapping host port 80 on clusters with task roles on, by cluster and family.",
		[]string{LabelPolicy, LabelCluster, LabelFamily}, nil)
	lastSyncDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "fleet", "last_sync_timestamp_seconds"),
		"Unix time of the policy's last complete inventory (every cluster read); 0 until the first.",
		[]string{LabelPolicy}, nil)
	driftedHostsDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "fleet", "drifted_hosts"),
		"Windows hosts whose last report found drift (containers lacking the route or the credential proxy down), a repair in flight or not.",
		[]string{LabelPolicy}, nil)
	hostFindingsDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "audit", "host_findings"),
		"Windows hosts with a finding of that reason in the last audit (from their last report and last run, so a retry in flight does not hide them).",
		[]string{LabelPolicy, LabelReason}, nil)
	proxyRepairSuspendedDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "remediation", "proxy_repair_suspended"),
		"1 while the policy's proxy-repair breaker is open (too many proxy repairs did not take): broken credential proxies are reported, not repaired, until the spec changes or the ecswin.io/reset-breaker annotation gets a new value.",
		[]string{LabelPolicy}, nil)
	inventoryIntervalDesc = prometheus.NewDesc(
		prometheus.BuildFQName(Namespace, "policy", "inventory_interval_seconds"),
		"The policy's inventory interval (spec.intervals.inventory, defaults applied): how often a complete inventory should come.",
		[]string{LabelPolicy}, nil)
)

// stateCollector computes the state gauges at scrape time.
type stateCollector struct {
	mu  sync.RWMutex
	src StateSource
}

func (c *stateCollector) setSource(src StateSource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.src = src
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- hostsDesc
	ch <- lackingRouteDesc
	ch <- port80Desc
	ch <- lastSyncDesc
	ch <- inventoryIntervalDesc
	ch <- hostFindingsDesc
	ch <- driftedHostsDesc
	ch <- proxyRepairSuspendedDesc
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.RLock()
	src := c.src
	c.mu.RUnlock()
	if src == nil {
		return
	}
	for _, p := range src.MetricsState() {
		for state, n := range p.HostsByState {
			ch <- prometheus.MustNewConstMetric(hostsDesc, prometheus.GaugeValue, float64(n), p.Policy, state)
		}
		ch <- prometheus.MustNewConstMetric(lackingRouteDesc, prometheus.GaugeValue, float64(p.ContainersLackingRoute), p.Policy)
		ch <- prometheus.MustNewConstMetric(driftedHostsDesc, prometheus.GaugeValue, float64(p.DriftedHosts), p.Policy)
		ch <- prometheus.MustNewConstMetric(proxyRepairSuspendedDesc, prometheus.GaugeValue, boolValue(p.ProxyRepairSuspended), p.Policy)
		ch <- prometheus.MustNewConstMetric(lastSyncDesc, prometheus.GaugeValue, unixSeconds(p.LastSync), p.Policy)
		// Always present beside the last sync, even 0 (unknown), so the
		// stale-sync alert's join on policy never drops a policy.
		ch <- prometheus.MustNewConstMetric(inventoryIntervalDesc, prometheus.GaugeValue, p.InventoryInterval.Seconds(), p.Policy)
		for reason, n := range p.HostFindings {
			ch <- prometheus.MustNewConstMetric(hostFindingsDesc, prometheus.GaugeValue, float64(n), p.Policy, reason)
		}
		for _, pc := range p.Port80Conflicts {
			ch <- prometheus.MustNewConstMetric(port80Desc, prometheus.GaugeValue, float64(pc.TaskDefinitions), p.Policy, pc.Cluster, pc.Family)
		}
	}
}

// boolValue is a flag as a gauge reads it.
func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// unixSeconds is t as Prometheus timestamps go, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
