package audit

import "fmt"

// RouteRule (R2): NAT-mode task containers that still lack the
// credential route after the host's last run.
func RouteRule(f HostFacts, in Input) []Finding {
	r := f.Report
	if r == nil || r.ContainersLackingRoute == 0 {
		return nil
	}
	what := "ecswin repairs them on its next run on this host"
	if r.CheckOnly {
		what = "set spec.remediation.mode=Enforce to let ecswin add it, or start containers through route-bootstrap exec"
	}
	return []Finding{hostFinding(f.Host, RuleRoute, ReasonRouteMissing, SeverityError, r.ContainersLackingRoute,
		fmt.Sprintf("%d NAT-mode container(s) lack the route to 169.254.170.2 and cannot get task-role credentials: %s",
			r.ContainersLackingRoute, what))}
}
