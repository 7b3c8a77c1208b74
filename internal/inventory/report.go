package inventory

import "time"

// HostReport is what the host itself last said through route-bootstrap,
// reduced to what the rules need.
type HostReport struct {
	InstanceID string
	// At is when the report was read back.
	At time.Time
	// CheckOnly: the run was `host --check`, so nothing was repaired.
	CheckOnly bool
	// ContainersChecked are the NAT-mode containers the run looked at.
	ContainersChecked int
	// ContainersLackingRouteBefore lacked the route when the run began.
	ContainersLackingRouteBefore int
	// ContainersLackingRoute are the containers still without the route
	// after the run.
	ContainersLackingRoute int
	// ContainersRepaired got the route during the run.
	ContainersRepaired int
	// ProxyHealthy: the host credential proxy answered on 169.254.170.2.
	ProxyHealthy bool
	// ProxyProblem names what is wrong with the proxy when it is not
	// healthy, as the report words it.
	ProxyProblem string
	// ProxyRepaired: the run re-created the proxy.
	ProxyRepaired bool
	// ProxyNeedsOperator: the proxy is down only for causes ecswin reports
	// and never repairs; ProxyAdvice says what to do about them.
	ProxyNeedsOperator bool
	ProxyAdvice        string
	// TasksWithoutRoute are the ARNs of tasks whose containers lacked the
	// route when the run began (repaired since or not), as far as the
	// report lists them (it caps its container details).
	TasksWithoutRoute []string
}

// DriftFound reports whether the run found anything wrong when it began.
func (r *HostReport) DriftFound() bool {
	return r != nil && (r.ContainersLackingRouteBefore > 0 || !r.ProxyHealthy || r.ProxyRepaired)
}

// Healthy reports whether the host needed nothing after the run.
func (r *HostReport) Healthy() bool {
	return r != nil && r.ContainersLackingRoute == 0 && r.ProxyHealthy
}
