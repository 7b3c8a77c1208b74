package engine

import (
	"context"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
)

// auditFleet judges the fleet as last read, with what its hosts last
// reported, by the audit's rules.
func auditFleet(_ context.Context, p *pass) (time.Duration, error) {
	if p.mem.fleet != nil {
		findings := append(audit.Run(auditInput(p.mem, p.spec)), stallFindings(p)...)
		audit.Sort(findings)
		p.mem.findings = findings
	}
	return 0, nil
}

// auditInput is the fleet and the hosts' last runs, as the rules read them.
func auditInput(m *memory, spec v1alpha1.FleetPolicySpec) audit.Input {
	reports := make(map[string]*inventory.HostReport, len(m.hosts))
	lastRuns := map[string]*audit.RunProblem{}
	withoutRoute := map[string]bool{}
	for id, h := range m.hosts {
		if h.report != nil {
			reports[id] = h.report
			for _, arn := range h.report.TasksWithoutRoute {
				withoutRoute[inventory.TaskID(arn)] = true
			}
		}
		if h.problem != nil {
			lastRuns[id] = h.problem
		}
	}
	return audit.Input{
		Fleet: m.fleet, Reports: reports, LastRuns: lastRuns,
		Port80: spec.Port80, ProxyRepairOn: proxyRepairOn(spec) && !m.breaker.open, TasksWithoutRoute: withoutRoute,
		ProxyRepairSuspended: proxyRepairOn(spec) && m.breaker.open,
	}
}

func proxyRepairOn(s v1alpha1.FleetPolicySpec) bool {
	return s.Remediation.Mode == v1alpha1.ModeEnforce && s.Remediation.HostProxy == v1alpha1.HostProxyEnforce
}
