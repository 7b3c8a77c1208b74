package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
)

// eventRules make the pass's events from what its steps did, one kind
// each, in the steps' order.
var eventRules = []func(*state, v1alpha1.FleetPolicySpec) []Event{
	recoveredEvents,
	outcomeEvents,
	documentEvents,
	inventoryEvents,
	sentEvents,
	breakerEvents,
}

// events are the notable facts of the pass.
func events(st *state, spec v1alpha1.FleetPolicySpec) []Event {
	out := make([]Event, 0, len(eventRules))
	for _, rule := range eventRules {
		out = append(out, rule(st, spec)...)
	}
	return out
}

func event(typ, reason, key, msg string) Event {
	return Event{Type: typ, Reason: reason, Message: msg, Key: reason + "/" + key}
}

func recoveredEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	var out []Event
	if n := len(st.did.recovered); n > 0 {
		hosts := 0
		for _, c := range st.did.recovered {
			hosts += len(c.InstanceIDs)
		}
		out = append(out, event(EventNormal, EventInFlightRecovered, "recovered",
			fmt.Sprintf("found %d SSM command(s) still running on %d host(s); no host gets a second one", n, hosts)))
	}
	if n := st.did.restored; n > 0 {
		out = append(out, event(EventNormal, EventLastRunsRecovered, "restored",
			fmt.Sprintf("read the last run of %d host(s) from SSM's command history; they are checked again when due, not now", n)))
	}
	return out
}

func documentEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	d := st.did.document
	if d.Change == remediate.DocumentUnchanged {
		return nil
	}
	return []Event{event(EventNormal, EventDocumentUpdated, d.Name,
		fmt.Sprintf("SSM document %s %s with route-bootstrap's current content (version %s)", d.Name, strings.ToLower(string(d.Change)), d.Version))}
}

func inventoryEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	if f := st.mem.fleet; st.did.inventoried && len(f.Problems) > 0 {
		return []Event{event(EventWarning, EventInventoryIncomplete, "inventory", problemsMessage(f.Problems))}
	}
	return nil
}

func sentEvents(st *state, spec v1alpha1.FleetPolicySpec) []Event {
	hosts := 0
	for _, c := range st.did.sent {
		hosts += len(c.InstanceIDs)
	}
	if hosts == 0 {
		return nil
	}
	what := "route-bootstrap host"
	if spec.Remediation.Mode != v1alpha1.ModeEnforce {
		what += " --check"
	}
	return []Event{event(EventNormal, EventCommandsSent, "sent", fmt.Sprintf("sent %s to %d host(s) in %d SSM command(s)", what, hosts, len(st.did.sent)))}
}

// outcomeEvents are one event per host whose run ended and is news, at
// most MaxListedIssues per reason in a pass; the rest are summed up in
// one event per reason, after the others.
func outcomeEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	var out []Event
	listed := map[string]int{}
	left := map[string]int{}
	for _, o := range st.did.outcomes {
		typ, reason, msg, ok := outcomeEvent(o)
		if !ok {
			continue
		}
		if listed[reason] == v1alpha1.MaxListedIssues {
			left[typ+"/"+reason]++
			continue
		}
		listed[reason]++
		out = append(out, event(typ, reason, o.InstanceID, o.InstanceID+": "+msg))
	}
	keys := make([]string, 0, len(left))
	for k := range left {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		typ, reason, _ := strings.Cut(k, "/")
		out = append(out, event(typ, reason, "more", fmt.Sprintf("and %d more host(s) with %s in this pass", left[k], reason)))
	}
	return out
}

// outcomeEvent is the event a run's end is worth, if any.
func outcomeEvent(o remediate.Outcome) (typ, reason, msg string, ok bool) {
	if o.Result != remediate.ResultReport {
		if o.Result == remediate.ResultUnreadable {
			return EventWarning, EventReportUnreadable, o.Message, true
		}
		return EventWarning, EventRepairFailed, o.Message, true
	}
	rep := o.Report
	switch repairLabel(rep) {
	case metrics.RepairSucceeded:
		return EventNormal, EventRepairSucceeded, repairedMessage(rep), true
	case metrics.RepairStillBroken:
		return EventWarning, EventRepairFailed, brokenMessage(rep), true
	}
	if rep.DriftFound() {
		return EventWarning, EventDriftDetected, brokenMessage(rep), true
	}
	return "", "", "", false
}

// repairLabel is the metrics result of a run that reported.
func repairLabel(r *inventory.HostReport) string {
	switch {
	case r.CheckOnly || !r.DriftFound():
		return metrics.RepairChecked
	case r.Healthy():
		return metrics.RepairSucceeded
	default:
		return metrics.RepairStillBroken
	}
}

// outcomeLabel is the metrics result of any run's end.
func outcomeLabel(o remediate.Outcome) string {
	switch o.Result {
	case remediate.ResultReport:
		return repairLabel(o.Report)
	case remediate.ResultUnreadable:
		return metrics.RepairUnreadable
	case remediate.ResultTimedOut, remediate.ResultLost:
		return metrics.RepairTimedOut
	case remediate.ResultUndeliverable:
		return metrics.RepairUndelivered
	case remediate.ResultCancelled:
		return metrics.RepairCancelled
	}
	return metrics.RepairFailed
}

// driftReasons are what a run's report found drifted, as the drift
// counter's reasons.
func driftReasons(o remediate.Outcome) []string {
	rep := o.Report
	if o.Result != remediate.ResultReport {
		return nil
	}
	var out []string
	if rep.ContainersLackingRouteBefore > 0 {
		out = append(out, audit.ReasonRouteMissing)
	}
	if !rep.ProxyHealthy || rep.ProxyRepaired {
		out = append(out, audit.ReasonProxyBroken)
	}
	return out
}

func repairedMessage(r *inventory.HostReport) string {
	msg := fmt.Sprintf("added the credential route to %d container(s)", r.ContainersRepaired)
	if r.ProxyRepaired {
		msg += " and re-created the credential proxy"
	}
	return msg
}

func brokenMessage(r *inventory.HostReport) string {
	msg := fmt.Sprintf("%d container(s) lack the credential route", r.ContainersLackingRoute)
	if !r.ProxyHealthy {
		msg += "; the credential proxy is down"
		if r.ProxyProblem != "" {
			msg += " (" + r.ProxyProblem + ")"
		}
	}
	if r.CheckOnly {
		msg += " (dry run: nothing changed)"
	}
	return msg
}
