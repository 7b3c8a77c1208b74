package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
)

// result builds the Result from the policy's memory, publishes it for
// metrics scrapes and returns it.
func (p *passRun) result() Result {
	st := p.st
	res := Result{
		At:            p.now,
		Inventoried:   p.inventoried,
		LastSyncTime:  st.lastSync,
		HostStates:    make(map[HostState]int, len(HostStates)),
		CommandsSent:  p.sent,
		HostsTargeted: p.targeted,

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
	res.Counts.RepairsInFlight = int32(len(st.inFlight))
	res.Conditions = p.conditions(tally)
	res.Events = p.finalEvents()
	res.RequeueAfter = p.requeueAfter()

	snap := res
	p.e.mu.Lock()
	st.snapshot = &snap
	p.e.mu.Unlock()
	return res
}

// fleetTally is what the conditions are derived from.
type fleetTally struct {
	verified, unverified, proxyBroken, lackingHosts, failing int
	lacking, conflicts                                       int
}

// tally judges the fleet and fills counts, states and issue lists.
func (p *passRun) tally(res *Result) fleetTally {
	reports := make(map[string]*inventory.HostReport, len(p.st.hosts))
	lastRuns := map[string]*audit.RunProblem{}
	for id, h := range p.st.hosts {
		if h.report != nil {
			reports[id] = h.report
		}
		if h.problem != nil {
			lastRuns[id] = h.problem
		}
	}
	res.Findings = audit.Run(audit.Input{
		Fleet: p.st.fleet, Reports: reports, LastRuns: lastRuns,
		Port80: p.spec.Port80, ProxyRepairOn: proxyRepairOn(p.spec),
	})
	t := p.countHosts(res, reports)
	listIssues(res)
	t.conflicts, t.lacking = int(res.Counts.Port80Conflicts), int(res.Counts.ContainersLackingRoute)
	return t
}

// countHosts fills the fleet counts and host states.
func (p *passRun) countHosts(res *Result, reports map[string]*inventory.HostReport) fleetTally {
	var t fleetTally
	c := &res.Counts
	for _, cl := range p.st.fleet.Clusters {
		if cl.ARN == "" {
			continue
		}
		c.Clusters++
		c.ContainerInstances += int32(cl.RegisteredInstances)
		for _, h := range cl.Hosts {
			c.WindowsInstances++
			if h.TaskRoleEnabled {
				c.TaskRoleEnabled++
			}
			state := hostState(h, p.st)
			res.HostStates[state]++
			switch state {
			case HostReportUnreadable, HostRepairFailed:
				t.failing++
			case HostUnverified:
				t.unverified++
			}
			if r := reports[h.InstanceID]; h.InstanceID != "" && r != nil {
				t.verified++
				countReport(c, &t, r)
			}
		}
	}
	return t
}

// countReport adds one verified host's last report to the counts.
func countReport(c *v1alpha1.FleetCounts, t *fleetTally, r *inventory.HostReport) {
	if r.ContainersLackingRoute > 0 || !r.ProxyHealthy {
		c.DriftedHosts++
	}
	if r.ContainersLackingRoute > 0 {
		t.lackingHosts++
		c.ContainersLackingRoute += int32(r.ContainersLackingRoute)
	}
	if !r.ProxyHealthy {
		t.proxyBroken++
	}
}

// listIssues turns findings into the bounded status lists, with exact
// totals, and counts the port-80 conflicts.
func listIssues(res *Result) {
	for _, f := range res.Findings {
		switch f.Subject {
		case audit.SubjectHost:
			res.HostIssuesTotal++
			if len(res.HostIssues) < v1alpha1.MaxListedIssues {
				res.HostIssues = append(res.HostIssues, hostIssue(f))
			}
		case audit.SubjectTaskDefinition:
			if f.Reason == audit.ReasonHostPort80Conflict {
				res.Counts.Port80Conflicts++
			}
			res.TaskDefinitionIssuesTotal++
			if len(res.TaskDefinitionIssues) < v1alpha1.MaxListedIssues {
				res.TaskDefinitionIssues = append(res.TaskDefinitionIssues, v1alpha1.TaskDefinitionIssue{
					Cluster: f.Cluster, TaskDefinition: f.TaskDefinition, Reason: f.Reason,
					Message: f.Message, RunningTasks: int32(f.Count),
				})
			}
		}
	}
}

func hostIssue(f audit.Finding) v1alpha1.HostIssue {
	hi := v1alpha1.HostIssue{Cluster: f.Cluster, InstanceID: f.InstanceID, Reason: f.Reason, Message: f.Message}
	if f.Reason == audit.ReasonRouteMissing {
		hi.ContainersLackingRoute = int32(f.Count)
	}
	return hi
}

// hostState puts a host in exactly one state, the most pressing first.
func hostState(h *inventory.Host, st *policyState) HostState {
	if h.InstanceID != "" && st.inFlight[h.InstanceID] != "" {
		return HostRepairing
	}
	if h.InstanceID == "" || (h.SSM != inventory.SSMOnline && h.SSM != inventory.SSMUnknown) {
		return HostUnreachable
	}
	mem := st.hosts[h.InstanceID]
	switch {
	case mem == nil:
		return HostUnverified
	case mem.problem != nil && mem.problem.Reason == audit.ReasonReportUnreadable:
		return HostReportUnreadable
	case mem.problem != nil:
		return HostRepairFailed
	case mem.report == nil:
		return HostUnverified
	case mem.report.Healthy():
		return HostHealthy
	}
	return HostDrifted
}

// conditions derives one input per step condition, in StepConditions
// order.
func (p *passRun) conditions(t fleetTally) []StepCondition {
	st := p.st
	out := make([]StepCondition, 0, len(v1alpha1.StepConditions))
	for _, typ := range v1alpha1.StepConditions {
		c := StepCondition{Type: typ}
		switch typ {
		case v1alpha1.ConditionInventorySynced:
			c = p.inventoryCondition(c)
		case v1alpha1.ConditionRoutesHealthy:
			switch {
			case st.fleet == nil || t.verified == 0:
				c = unknown(c, "no host report read yet")
			case t.lackingHosts > 0:
				c = cond(c, false, v1alpha1.ReasonRouteMissing,
					fmt.Sprintf("%d NAT-mode container(s) on %d host(s) lack the credential route", t.lacking, t.lackingHosts))
			default:
				c = cond(c, true, v1alpha1.ReasonAllHealthy, healthyMessage("no container lacks the route", t))
			}
		case v1alpha1.ConditionCredentialProxyHealthy:
			switch {
			case st.fleet == nil || t.verified == 0:
				c = unknown(c, "no host report read yet")
			case t.proxyBroken > 0:
				c = cond(c, false, v1alpha1.ReasonProxyBroken, fmt.Sprintf("the credential proxy is down on %d host(s)", t.proxyBroken))
			default:
				c = cond(c, true, v1alpha1.ReasonAllHealthy, healthyMessage("every credential proxy answers", t))
			}
		case v1alpha1.ConditionNoPortConflicts:
			switch {
			case p.spec.Port80.Mode == v1alpha1.Port80Ignore:
				c = cond(c, true, v1alpha1.ReasonPort80Ignored, "spec.port80.mode is Ignore")
			case st.fleet == nil:
				c = unknown(c, "the fleet has not been read yet")
			case t.conflicts > 0:
				c = cond(c, false, v1alpha1.ReasonConflictsFound,
					fmt.Sprintf("%d task definition(s) map host port 80 on clusters with task roles on", t.conflicts))
			default:
				c = cond(c, true, v1alpha1.ReasonNoConflicts, "no running task definition maps host port 80")
			}
		case v1alpha1.ConditionRemediationHealthy:
			c = p.remediationCondition(c, t)
		}
		out = append(out, c)
	}
	return out
}

func (p *passRun) inventoryCondition(c StepCondition) StepCondition {
	f := p.st.fleet
	switch {
	case f == nil:
		return unknown(c, "the fleet has not been read yet")
	case len(f.Problems) > 0:
		return cond(c, false, v1alpha1.ReasonAWSError, problemsMessage(f.Problems))
	}
	hosts, tasks := 0, 0
	for _, cl := range f.Clusters {
		hosts += len(cl.Hosts)
		tasks += len(cl.Tasks)
	}
	return cond(c, true, v1alpha1.ReasonSynced,
		fmt.Sprintf("read %d cluster(s): %d Windows instance(s), %d running task(s) on them", len(f.Clusters), hosts, tasks))
}

func (p *passRun) remediationCondition(c StepCondition, t fleetTally) StepCondition {
	switch {
	case p.remediationErr != nil:
		return cond(c, false, p.remediationReason, p.remediationErr.Error())
	case t.failing > 0:
		return cond(c, false, v1alpha1.ReasonRepairsFailing,
			fmt.Sprintf("the last run failed or gave an unreadable report on %d host(s); see hostIssues", t.failing))
	case p.spec.Remediation.Mode != v1alpha1.ModeEnforce:
		return cond(c, true, v1alpha1.ReasonDryRun,
			fmt.Sprintf("dry run: route-bootstrap runs with --check and changes nothing (%d host(s) checked)", t.verified))
	}
	return cond(c, true, v1alpha1.ReasonRepairsSucceeding,
		fmt.Sprintf("%d host(s) verified, %d run(s) in flight", t.verified, len(p.st.inFlight)))
}

func healthyMessage(what string, t fleetTally) string {
	msg := fmt.Sprintf("%s on the %d host(s) verified", what, t.verified)
	if t.unverified > 0 {
		msg += fmt.Sprintf("; %d host(s) not verified yet", t.unverified)
	}
	return msg
}

func cond(c StepCondition, ok bool, reason, msg string) StepCondition {
	c.Status, c.Reason, c.Message = "False", reason, msg
	if ok {
		c.Status = "True"
	}
	return c
}

func unknown(c StepCondition, msg string) StepCondition {
	c.Status, c.Reason, c.Message = "Unknown", v1alpha1.ReasonNotYetObserved, msg
	return c
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
