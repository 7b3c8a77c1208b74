package engine

import (
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
)

// eventRules make the pass's events from what its steps did, one kind
// each, in the steps' order.
var eventRules = []func(*state, v1alpha1.FleetPolicySpec) []Event{
	recoveredEvents,
	commandEvents,
	documentEvents,
	inventoryEvents,
	sentEvents,
	accessDeniedEvents,
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

// hostsIn counts the hosts the commands went to.
func hostsIn(cmds []remediate.Command) int {
	n := 0
	for _, c := range cmds {
		n += len(c.InstanceIDs)
	}
	return n
}

func event(typ, reason, key, msg string) Event {
	return Event{Type: typ, Reason: reason, Message: msg, Key: reason + "/" + key}
}

func recoveredEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	var out []Event
	if n := len(st.did.recovered); n > 0 {
		hosts := hostsIn(st.did.recovered)
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

// accessDeniedEvents are a Warning per IAM action AWS refused this pass
// (to the inventory, or to remediation), naming the action to grant.
func accessDeniedEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	var causes []awsapi.Cause
	if f := st.mem.fleet; st.did.inventoried && f != nil {
		for _, p := range f.Problems {
			causes = append(causes, p.Cause)
		}
	}
	if b := st.did.blocked; b != nil {
		causes = append(causes, awsapi.Explain(b.err))
	}
	var out []Event
	seen := map[string]bool{}
	for _, c := range causes {
		if c.Kind != awsapi.KindAccessDenied || seen[c.Action] {
			continue
		}
		seen[c.Action] = true
		out = append(out, event(EventWarning, EventAccessDenied, c.Action, c.String()))
	}
	return out
}

func sentEvents(st *state, spec v1alpha1.FleetPolicySpec) []Event {
	hosts := hostsIn(st.did.sent)
	if hosts == 0 {
		return nil
	}
	what := "route-bootstrap host"
	if spec.Remediation.Mode != v1alpha1.ModeEnforce {
		what += " --check"
	}
	return []Event{event(EventNormal, EventCommandsSent, "sent", fmt.Sprintf("sent %s to %d host(s) in %d SSM command(s)", what, hosts, len(st.did.sent)))}
}

// commandEvents are, for each SSM command that ended this pass, one
// event per reason its runs' ends are worth, naming up to
// v1alpha1.MaxListedIssues hosts and counting the rest. One event per
// command and reason, with the command as its related object, is what
// client-go's aggregation keeps apart (it folds events of the same
// reason and objects into one series whatever their notes say); the
// hosts these events count sum to the repairs counter's.
func commandEvents(st *state, spec v1alpha1.FleetPolicySpec) []Event {
	out := make([]Event, 0, len(st.did.ended)) // mostly one reason per command
	repairProxy := proxyRepairOn(spec)
	for _, c := range st.did.ended {
		var groups []*hostGroup
		byReason := map[string]*hostGroup{}
		for _, o := range c.outcomes {
			typ, reason, msg, ok := outcomeEvent(o, repairProxy)
			if !ok {
				continue
			}
			g := byReason[reason]
			if g == nil {
				g = &hostGroup{typ: typ, reason: reason}
				byReason[reason] = g
				groups = append(groups, g)
			}
			g.add(o.InstanceID, msg)
		}
		for _, g := range groups {
			e := event(g.typ, g.reason, "command", g.message())
			e.Command, e.Hosts = c.id, len(g.hosts)
			out = append(out, e)
		}
	}
	return out
}

// hostGroup is the hosts of one command whose runs ended for one reason.
type hostGroup struct {
	typ, reason string
	hosts       []string
	// messages counts the hosts per message, in first-seen order.
	messages []string
	perMsg   map[string]int
}

func (g *hostGroup) add(id, msg string) {
	g.hosts = append(g.hosts, id)
	if g.perMsg == nil {
		g.perMsg = map[string]int{}
	}
	if g.perMsg[msg] == 0 {
		g.messages = append(g.messages, msg)
	}
	g.perMsg[msg]++
}

// maxEventMessages is how many distinct run messages an event quotes.
const maxEventMessages = 3

// message is "<what> on N host(s): i-1, i-2 and M more; <message> (K
// host(s)); ...": the hosts first, so a note cut at the API's limit
// keeps them.
func (g *hostGroup) message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %d host(s): ", eventWhat[g.reason], len(g.hosts))
	named := g.hosts[:min(len(g.hosts), v1alpha1.MaxListedIssues)]
	b.WriteString(strings.Join(named, ", "))
	if rest := len(g.hosts) - len(named); rest > 0 {
		fmt.Fprintf(&b, " and %d more", rest)
	}
	for i, msg := range g.messages {
		if i == maxEventMessages {
			fmt.Fprintf(&b, "; and %d other message(s)", len(g.messages)-i)
			break
		}
		if len(g.messages) == 1 {
			b.WriteString("; " + msg)
			break
		}
		fmt.Fprintf(&b, "; %s (%d host(s))", msg, g.perMsg[msg])
	}
	return b.String()
}

// eventWhat says what an event of runs' ends is about.
var eventWhat = map[string]string{
	EventRepairSucceeded:  "route-bootstrap repaired",
	EventRepairFailed:     "route-bootstrap failed",
	EventReportUnreadable: "route-bootstrap's report could not be read",
	EventDriftDetected:    "drift found",
	EventProxyBroken:      "the credential proxy is down (reported, not repaired)",
}

// outcomeEvent is the event a run's end is worth, if any.
func outcomeEvent(o remediate.Outcome, repairProxy bool) (typ, reason, msg string, ok bool) {
	if o.Result != remediate.ResultReport {
		if o.Result == remediate.ResultUnreadable {
			return EventWarning, EventReportUnreadable, o.Message, true
		}
		return EventWarning, EventRepairFailed, o.Message, true
	}
	rep := o.Report
	switch repairLabel(rep, repairProxy) {
	case metrics.RepairSucceeded:
		return EventNormal, EventRepairSucceeded, repairedMessage(rep), true
	case metrics.RepairReported:
		return EventWarning, EventProxyBroken, reportedMessage(rep), true
	case metrics.RepairStillBroken:
		return EventWarning, EventRepairFailed, brokenMessage(rep), true
	}
	if rep.DriftFound() {
		return EventWarning, EventDriftDetected, brokenMessage(rep), true
	}
	return "", "", "", false
}

// repairLabel is the metrics result of a run that reported. A run that
// left only drift it was not allowed to change (the proxy, when
// repairProxy is off or the cause is one ecswin never repairs) reported
// it, and did not fail.
func repairLabel(r *inventory.HostReport, repairProxy bool) string {
	switch {
	case r.CheckOnly || !r.DriftFound():
		return metrics.RepairChecked
	case r.Healthy():
		return metrics.RepairSucceeded
	case r.ContainersLackingRoute == 0 && (!repairProxy || r.ProxyNeedsOperator):
		return metrics.RepairReported
	default:
		return metrics.RepairStillBroken
	}
}

// outcomeLabel is the metrics result of any run's end.
func outcomeLabel(o remediate.Outcome, repairProxy bool) string {
	switch o.Result {
	case remediate.ResultReport:
		return repairLabel(o.Report, repairProxy)
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

// reportedMessage is what a run that was not allowed to repair the proxy
// found, with what it did repair.
func reportedMessage(r *inventory.HostReport) string {
	msg := "the credential proxy is down"
	if r.ProxyProblem != "" {
		msg += " (" + r.ProxyProblem + ")"
	}
	if r.ProxyAdvice != "" {
		msg += ": " + r.ProxyAdvice
	} else {
		msg += ": spec.remediation.hostProxy is Report, so ecswin does not repair it"
	}
	if r.ContainersRepaired > 0 {
		msg += fmt.Sprintf("; added the credential route to %d container(s)", r.ContainersRepaired)
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
