package engine

import (
	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
)

// fleetTally is what the conditions are derived from.
type fleetTally struct {
	verified, unverified, proxyBroken, lackingHosts, failing int
	lacking, conflicts                                       int
}

// tally judges the fleet and fills counts, states and issue lists.
func (p *passRun) tally(res *Result) fleetTally {
	reports := make(map[string]*inventory.HostReport, len(p.st.hosts))
	lastRuns := map[string]*audit.RunProblem{}
	withoutRoute := map[string]bool{}
	for id, h := range p.st.hosts {
		if h.report != nil {
			reports[id] = h.report
			for _, arn := range h.report.TasksWithoutRoute {
				withoutRoute[arn] = true
			}
		}
		if h.problem != nil {
			lastRuns[id] = h.problem
		}
	}
	res.Findings = audit.Run(audit.Input{
		Fleet: p.st.fleet, Reports: reports, LastRuns: lastRuns,
		Port80: p.spec.Port80, ProxyRepairOn: proxyRepairOn(p.spec), TasksWithoutRoute: withoutRoute,
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

// listIssues turns findings into the bounded status lists (a fair share
// per reason, each host or revision once: audit.HostIssues), with how many
// they leave out, and counts the port-80 conflicts.
func listIssues(res *Result) {
	res.HostIssues, res.HostIssuesOmitted = audit.HostIssues(res.Findings, v1alpha1.MaxListedIssues)
	res.TaskDefinitionIssues, res.TaskDefinitionIssuesOmitted = audit.TaskDefinitionIssues(res.Findings, v1alpha1.MaxListedIssues)
	for _, f := range res.Findings {
		switch f.Subject {
		case audit.SubjectHost:
			res.HostIssuesTotal++
		case audit.SubjectTaskDefinition:
			if f.Reason == audit.ReasonHostPort80Conflict {
				res.Counts.Port80Conflicts++
			}
			res.TaskDefinitionIssuesTotal++
		}
	}
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
