package engine

import (
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// report is what a pass found and did, for status, events and metrics: a
// pure function of the pass's state, the spec and the pass's time. It
// writes nothing; publish makes it visible.
func report(st *state, spec v1alpha1.FleetPolicySpec, now time.Time) Result {
	m := st.mem
	res := Result{
		At:                     now,
		Inventoried:            st.did.inventoried,
		LastSyncTime:           m.lastSync,
		InventoryInterval:      spec.Intervals.Inventory.Duration,
		HostStates:             make(map[HostState]int, len(HostStates)),
		CommandsSent:           len(st.did.sent),
		ReadyAttributesSet:     st.did.readySet,
		ReadyAttributesRemoved: st.did.readyRemoved,
	}
	res.HostsTargeted = hostsIn(st.did.sent)
	for _, s := range HostStates {
		res.HostStates[s] = 0
	}
	var t tally
	if m.fleet != nil {
		t = countFleet(m, &res)
		res.Findings = m.findings
		listIssues(&res)
		t.conflicts, t.lacking = int(res.Counts.Port80Conflicts), int(res.Counts.ContainersLackingRoute)
		// Hosts of this fleet being repaired; commands recovered for
		// hosts outside it (another policy's, on the same document) do
		// not count.
		res.Counts.RepairsInFlight = int32(res.HostStates[HostRepairing])
	} else {
		res.Counts.RepairsInFlight = int32(len(m.inFlight))
	}
	res.Events = events(st, spec)
	if b := st.did.refused; b != nil {
		res.Conditions = refusedConditions(b)
		return res // only a change of the spec or of the operator's flags helps: no requeue
	}
	res.Conditions = conditions(judged{st: st, spec: spec, tally: t})
	res.RequeueAfter = max(st.requeue, minRequeue)
	return res
}
