package engine

import (
	"context"

	"github.com/go-logr/logr"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// publish makes a pass's report visible: the counters of the runs that
// ended, the state gauges' snapshot that scrapes read, and log lines for
// what changed (sends and new inventory problems at info level, the
// pass at V(1)).
func (p *pass) publish(ctx context.Context, res Result) {
	m, policy := p.e.deps.Metrics, p.ref.String()
	for _, o := range p.did.outcomes {
		for _, reason := range driftReasons(o) {
			m.DriftDetected(policy, reason)
		}
		m.RepairFinished(policy, outcomeLabel(o, proxyRepairOn(p.spec)), o.Took)
	}
	snap := policyMetrics(p.ref, res)
	p.e.mu.Lock()
	p.mem.snapshot = &snap
	p.e.mu.Unlock()
	p.log(logr.FromContextOrDiscard(ctx).WithValues("policy", policy), res)
}

func (p *pass) log(log logr.Logger, res Result) {
	if res.HostsTargeted > 0 {
		log.Info("sent route-bootstrap", "hosts", res.HostsTargeted, "commands", res.CommandsSent, "check", p.spec.Remediation.Mode != v1alpha1.ModeEnforce)
	}
	if p.did.inventoried && p.mem.fleet != nil {
		msg := problemsMessage(p.mem.fleet.Problems)
		if msg != p.mem.lastProblems && msg != "" {
			log.Info("inventory incomplete", "problems", msg)
		}
		p.mem.lastProblems = msg
	}
	if b := p.did.blocked; b != nil {
		c := blockedCondition(b) // a failed AWS call by its cause, in awsapi.Explain's words
		log.Info("remediation blocked", "reason", c.Reason, "error", c.Message)
	}
	log.V(1).Info("pass done", "inventoried", res.Inventoried, "windowsInstances", res.Counts.WindowsInstances,
		"drifted", res.Counts.DriftedHosts, "inFlight", res.Counts.RepairsInFlight, "requeueAfter", res.RequeueAfter)
}
