package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// result builds the Result from the policy's memory, publishes it for
// metrics scrapes and returns it.
func (p *passRun) result() Result {
	st := p.st
	res := Result{
		At:                p.now,
		Inventoried:       p.inventoried,
		LastSyncTime:      st.lastSync,
		InventoryInterval: p.spec.Intervals.Inventory.Duration,
		HostStates:        make(map[HostState]int, len(HostStates)),
		CommandsSent:      p.sent,
		HostsTargeted:     p.targeted,

		ReadyAttributesSet:     p.attributesSet,
		ReadyAttributesRemoved: p.attributesRemoved,
	}
	for _, s := range HostStates {
		res.HostStates[s] = 0
	}
	var tally fleetTally
	if st.fleet != nil {
		tally = p.tally(&res)
	}
	// Hosts of this fleet being repaired; commands recovered for hosts
	// outside it (another policy's, on the same document) do not count.
	res.Counts.RepairsInFlight = int32(res.HostStates[HostRepairing])
	if st.fleet == nil {
		res.Counts.RepairsInFlight = int32(len(st.inFlight))
	}
	res.Conditions = p.conditions(tally)
	res.Events = p.finalEvents()
	res.RequeueAfter = p.requeueAfter()

	snap := res
	p.e.mu.Lock()
	st.snapshot = &snap
	p.e.mu.Unlock()
	return res
}

// finalEvents adds the pass's one event about sends, and one event per
// reason for the per-host events left out.
func (p *passRun) finalEvents() []Event {
	if p.targeted > 0 {
		what := "route-bootstrap host"
		if p.spec.Remediation.Mode != v1alpha1.ModeEnforce {
			what += " --check"
		}
		p.event(EventNormal, EventCommandsSent, "sent", fmt.Sprintf("sent %s to %d host(s) in %d SSM command(s)", what, p.targeted, p.sent))
	}
	keys := make([]string, 0, len(p.overflow))
	for k := range p.overflow {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		typ, reason, _ := strings.Cut(k, "/")
		p.event(typ, reason, "more", fmt.Sprintf("and %d more host(s) with %s in this pass", p.overflow[k], reason))
	}
	return p.events
}

// requeueAfter: the soonest of the next inventory and, while commands
// are in flight or the last AWS call failed, the poll interval.
func (p *passRun) requeueAfter() time.Duration {
	next := p.spec.Intervals.Inventory.Duration - p.now.Sub(p.st.inventoriedAt)
	if len(p.st.commands) > 0 || p.remediationErr != nil && p.remediationReason == v1alpha1.ReasonAWSError {
		next = min(next, p.e.deps.PollInterval)
	}
	return max(next, minRequeue)
}
