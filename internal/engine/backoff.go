package engine

import (
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/remediate"
)

// A host whose repair did not take is retried with a back-off, not every
// few minutes: the first retry after the retry interval (repairRetryFactor
// times the inventory interval), each next one twice as late, up to the
// reverify period. A run that took ends the back-off; so does a spec
// change or a reset of the breaker (breaker.go). Runs for new NAT-mode
// tasks still go out during a back-off, since those containers need their
// route now, but without another proxy repair until the proxy's retry is
// due.

// repairs is how a host's Enforce runs have gone lately.
type repairs struct {
	// failed counts the host's consecutive runs that did not take (see
	// verdict); the back-off grows with it.
	failed int
	// proxyTried: a run found the host's proxy broken and tried to
	// repair it; proxyFailed: the last such run left it broken for a
	// cause a repair fixes. The breaker counts them.
	proxyTried, proxyFailed bool
}

// runVerdict is what one run says about the host's back-off.
type runVerdict int

const (
	// runNeutral: the run says nothing about whether repair works (a busy
	// host, an undelivered or lost command, a failed download, a proxy
	// repair that was held back), so the back-off neither grows nor ends.
	runNeutral runVerdict = iota
	runTook
	runDidNotTake
)

// judge updates the host's record with how a run of cmd ended. Checks
// (DryRun) repair nothing and are not judged.
func (r *repairs) judge(o remediate.Outcome, cmd *remediate.Command) {
	if cmd == nil || cmd.Check {
		return
	}
	switch r.verdict(o, cmd) {
	case runTook:
		r.failed = 0
	case runDidNotTake:
		r.failed++
	}
	if o.Result != remediate.ResultReport {
		return
	}
	switch rep := o.Report; {
	case rep.ProxyRepaired && rep.ProxyHealthy:
		r.proxyTried, r.proxyFailed = true, false
	case cmd.RepairProxy && proxyRepairable(o):
		r.proxyTried, r.proxyFailed = true, true
	}
}

// verdict judges a run that ended. A report judges by what the run was
// asked to repair: containers still lacking the route, or a proxy still
// broken for a cause a repair fixes. A proxy that needs an operator is
// no failure of repair. Without a report, a run that reached the host and
// failed there (route-bootstrap's own error, a crash, a timeout, an
// unreadable report) did not take; a busy host (HostBusy), an undelivered
// or lost command and the document's own failures (download, hash,
// cache, blocked: settings of the whole policy, which the
// RemediationHealthy condition names) are neutral.
func (r *repairs) verdict(o remediate.Outcome, cmd *remediate.Command) runVerdict {
	switch o.Result {
	case remediate.ResultReport:
		rep := o.Report
		switch {
		case rep.ContainersLackingRoute > 0 || (cmd.RepairProxy && proxyRepairable(o)):
			return runDidNotTake
		case !cmd.RepairProxy && r.proxyFailed && proxyRepairable(o):
			return runNeutral // the proxy's repair was held back: its back-off goes on
		}
		return runTook
	case remediate.ResultUnreadable, remediate.ResultTimedOut:
		return runDidNotTake
	case remediate.ResultFailed:
		switch o.Reason {
		case "", audit.ReasonRepairFailed, audit.ReasonBootstrapCrashed:
			return runDidNotTake
		}
	}
	return runNeutral
}

// proxyRepairable: the run reported the proxy down for a cause a repair
// fixes.
func proxyRepairable(o remediate.Outcome) bool {
	return o.Result == remediate.ResultReport && !o.Report.ProxyHealthy && !o.Report.ProxyNeedsOperator
}

// backoff is the least time from a host's last run to its next retry
// after failed runs that did not take: base, doubled for each failure
// after the first, at most reverify.
func backoff(base, reverify time.Duration, failed int) time.Duration {
	d := base
	for i := 1; i < failed && d < reverify; i++ {
		d *= 2
	}
	return min(d, reverify)
}

// retryBase is the retry interval: the least time between two runs on a
// host that stays broken.
func (p *pass) retryBase() time.Duration {
	return repairRetryFactor * p.spec.Intervals.Inventory.Duration
}

// backoffAfter is the policy's back-off after that many runs in a row
// did not take.
func (p *pass) backoffAfter(failed int) time.Duration {
	return backoff(p.retryBase(), p.spec.Intervals.Reverify.Duration, failed)
}

// retryDue: the host's back-off has passed since its last run.
func (p *pass) retryDue(h *hostMemory) bool {
	return p.now.Sub(h.lastRun) >= p.backoffAfter(h.repairs.failed)
}

// holdProxyRepair: a run on the host now must not repair its proxy,
// because the breaker is open or the host's last proxy repair did not
// take and its retry is not yet due (the run goes for new tasks).
func (p *pass) holdProxyRepair(id string) bool {
	if p.mem.breaker.open {
		return true
	}
	h := p.mem.hosts[id]
	return h != nil && h.repairs.proxyFailed && !p.retryDue(h)
}

// repairStallRuns is how many runs in a row must fail to take before the
// host is listed for an operator.
const repairStallRuns = 5

// stallFindings list the hosts whose last repairStallRuns runs or more
// did not take: ecswin keeps retrying them, at most once per reverify
// period, but an operator should look.
func stallFindings(p *pass) []audit.Finding {
	var out []audit.Finding
	for _, cl := range p.mem.fleet.Clusters {
		for _, h := range cl.Hosts {
			mem := p.mem.hosts[h.InstanceID]
			if h.InstanceID == "" || mem == nil || mem.repairs.failed < repairStallRuns {
				continue
			}
			next := p.backoffAfter(mem.repairs.failed + 1)
			out = append(out, audit.Finding{
				Rule: audit.RuleReport, Reason: audit.ReasonRepairNotTaking, Severity: audit.SeverityError,
				Subject: audit.SubjectHost, Cluster: h.Cluster, InstanceID: h.InstanceID,
				Message: fmt.Sprintf("the last %d runs on this host did not repair it; ecswin now retries it only every %s "+
					"(and still runs for new NAT-mode tasks): look at the host (route-bootstrap host --check --format text) "+
					"and at the runs' output in the SSM console", mem.repairs.failed, next),
			})
		}
	}
	return out
}
