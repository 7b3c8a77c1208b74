package engine

import (
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
)

// apply records how one host's run ended: its memory, metrics and events.
func (p *passRun) apply(o remediate.Outcome) {
	st, m, policy := p.st, p.e.deps.Metrics, p.ref.String()
	if c := st.commands[o.CommandID]; c != nil {
		if c.Ended == nil {
			c.Ended = map[string]bool{}
		}
		c.Ended[o.InstanceID] = true // the next poll skips it
	}
	if st.inFlight[o.InstanceID] != o.CommandID {
		return // superseded by a newer command on the host
	}
	st.land(o.InstanceID)
	mem := st.host(o.InstanceID)
	if o.Result != remediate.ResultReport {
		reason, label := audit.ReasonRepairFailed, failureLabel(o.Result)
		switch {
		case o.Result == remediate.ResultUnreadable:
			reason = audit.ReasonReportUnreadable
		case o.Reason != "":
			reason = o.Reason
		}
		mem.problem = &audit.RunProblem{Reason: reason, Message: o.Message}
		m.RepairFinished(policy, label, o.Took)
		p.hostEvent(EventWarning, reasonEvent(reason), o.InstanceID, o.Message)
		return
	}
	rep := o.Report
	mem.report, mem.problem = rep, nil
	if rep.ContainersLackingRouteBefore > 0 {
		m.DriftDetected(policy, audit.ReasonRouteMissing)
	}
	if !rep.ProxyHealthy || rep.ProxyRepaired {
		m.DriftDetected(policy, audit.ReasonProxyBroken)
	}
	label := repairLabel(rep)
	m.RepairFinished(policy, label, o.Took)
	switch label {
	case metrics.RepairSucceeded:
		p.hostEvent(EventNormal, EventRepairSucceeded, o.InstanceID, repairedMessage(rep))
	case metrics.RepairStillBroken:
		p.hostEvent(EventWarning, EventRepairFailed, o.InstanceID, brokenMessage(rep))
	case metrics.RepairChecked:
		if rep.DriftFound() {
			p.hostEvent(EventWarning, EventDriftDetected, o.InstanceID, brokenMessage(rep))
		}
	}
}

func reasonEvent(reason string) string {
	if reason == audit.ReasonReportUnreadable {
		return EventReportUnreadable
	}
	return EventRepairFailed
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

func failureLabel(r remediate.Result) string {
	switch r {
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

// hostEvent adds a per-host event, at most MaxListedIssues per reason in
// a pass; the rest are summed up in one event at the end.
func (p *passRun) hostEvent(typ, reason, instanceID, msg string) {
	p.mu.Lock()
	n := 0
	for _, e := range p.events {
		if e.Reason == reason {
			n++
		}
	}
	if n >= v1alpha1.MaxListedIssues {
		if p.overflow == nil {
			p.overflow = map[string]int{}
		}
		p.overflow[typ+"/"+reason]++
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	p.event(typ, reason, instanceID, instanceID+": "+msg)
}
