package engine

import (
	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/metrics"
)

// MetricsState gives the state gauges of every live policy, from each
// policy's last pass (metrics.StateSource).
func (e *Engine) MetricsState() []metrics.PolicyState {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]metrics.PolicyState, 0, len(e.policies))
	for _, m := range e.policies {
		if m.snapshot != nil {
			out = append(out, *m.snapshot)
		}
	}
	return out
}

// policyMetrics is the state gauges of one pass's Result: small enough to
// keep between scrapes, unlike the Result and its findings.
func policyMetrics(ref PolicyRef, r Result) metrics.PolicyState {
	ps := metrics.PolicyState{
		Policy:                 ref.String(),
		HostsByState:           make(map[string]int, len(r.HostStates)),
		ContainersLackingRoute: int(r.Counts.ContainersLackingRoute),
		DriftedHosts:           int(r.Counts.DriftedHosts),
		LastSync:               r.LastSyncTime,
		InventoryInterval:      r.InventoryInterval,
		HostFindings:           map[string]int{},
		ProxyRepairSuspended:   r.Condition(v1alpha1.ConditionProxyRepairHealthy).Reason == v1alpha1.ReasonProxyRepairSuspended,
	}
	for s, n := range r.HostStates {
		ps.HostsByState[string(s)] = n
	}
	type key struct{ cluster, family string }
	groups := map[key]int{}
	var order []key
	for _, f := range r.Findings {
		if f.Subject == audit.SubjectHost {
			ps.HostFindings[f.Reason]++ // one finding per host and reason
		}
		if f.Reason != audit.ReasonHostPort80Conflict {
			continue
		}
		k := key{f.Cluster, f.Family}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k]++
	}
	for _, k := range order {
		ps.Port80Conflicts = append(ps.Port80Conflicts, metrics.Port80Conflict{Cluster: k.cluster, Family: k.family, TaskDefinitions: groups[k]})
	}
	return ps
}
