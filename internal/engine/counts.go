package engine

import (
	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
)

// tally is what the step conditions are derived from, counted over the
// fleet as last read.
type tally struct {
	verified, unverified, proxyBroken, lackingHosts, failing int
	lacking, conflicts                                       int
}

// countFleet fills res's counts and host states from the fleet and the
// hosts' memory, and returns the tally.
func countFleet(m *memory, res *Result) tally {
	var t tally
	c := &res.Counts
	for _, cl := range m.fleet.Clusters {
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
			state := hostState(h, m)
			res.HostStates[state]++
			switch state {
			case HostReportUnreadable, HostRepairFailed:
				t.failing++
			case HostUnverified:
				t.unverified++
			}
			if mem := m.hosts[h.InstanceID]; h.InstanceID != "" && mem != nil && mem.report != nil {
				t.verified++
				countReport(c, &t, mem.report)
			}
		}
	}
	return t
}

// countReport adds one verified host's last report to the counts.
func countReport(c *v1alpha1.FleetCounts, t *tally, r *inventory.HostReport) {
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
func hostState(h *inventory.Host, m *memory) HostState {
	if h.InstanceID != "" && m.inFlight[h.InstanceID] != "" {
		return HostRepairing
	}
	if h.InstanceID == "" || (h.SSM != inventory.SSMOnline && h.SSM != inventory.SSMUnknown) {
		return HostUnreachable
	}
	mem := m.hosts[h.InstanceID]
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
