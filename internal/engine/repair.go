package engine

import (
	"context"
	"errors"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// sendRepairs sends route-bootstrap (with --check in DryRun) to the hosts
// that need a run, most urgent first, within the policy's in-flight
// budget, and returns as soon as SSM has accepted the commands. Nothing is
// sent before SSM was asked what already runs, without a fleet, or without
// the ensured document to pin.
func sendRepairs(ctx context.Context, p *pass) (time.Duration, error) {
	if p.plan.blocked() || !p.mem.recovered || p.mem.fleet == nil || !p.documentReady() {
		return 0, nil
	}
	budget := int(p.spec.Remediation.MaxInFlight) - len(p.mem.inFlight)
	if budget <= 0 {
		return 0, nil
	}
	ids := remediate.Select(candidates(p), remediate.SelectPolicy{
		Now:              p.now,
		Reverify:         p.reverify(),
		RetryAfter:       p.retryBase(),
		RepairOnFindings: p.spec.Remediation.Mode == v1alpha1.ModeEnforce,
		Budget:           budget,
	})
	if len(ids) == 0 {
		return 0, nil
	}
	cmds, err := p.send(ctx, ids)
	p.mem.track(cmds)
	p.did.sent = append(p.did.sent, cmds...)
	if err != nil {
		reason, ok := p.documentProblem(err)
		if !ok {
			reason = v1alpha1.ReasonAWSError
		}
		p.block(reason, err)
	}
	return p.pollAgain(), nil
}

// candidates describes every host of the fleet with an instance ID for
// selection.
func candidates(p *pass) []remediate.Candidate {
	m := p.mem
	newest := map[string]time.Time{}
	n := 0
	for _, cl := range m.fleet.Clusters {
		n += len(cl.Hosts)
		newestRouteTasks(cl, m.fleet.TaskDefinitions, newest, m.learning.trusted)
	}
	repairProxy := p.proxyRepairActive()
	scope := m.target.Hosts()
	out := make([]remediate.Candidate, 0, n)
	for _, cl := range m.fleet.Clusters {
		for _, h := range cl.Hosts {
			if h.InstanceID == "" {
				continue
			}
			c := remediate.Candidate{
				InstanceID: h.InstanceID,
				Reachable: h.SSM == inventory.SSMOnline && m.inFlight[h.InstanceID] == "" &&
					!m.locks.heldByOther(scope, h.InstanceID, m.ref),
				// An event (a task started, the agent reconnected), or
				// every task restarted (learn.go), counts as a task start:
				// the host is due a run.
				NewestNATTask: later(later(newest[h.ContainerInstanceARN], m.dueByEvent(h.ContainerInstanceARN)),
					m.learning.restarted[h.ContainerInstanceARN]),
			}
			if mem := m.hosts[h.InstanceID]; mem != nil {
				c.LastRun, c.LastRunAWS = mem.lastRun, mem.lastRunAWS
				// A host in back-off still runs for new tasks and when
				// reverify is due, just not for its findings.
				c.NeedsRepair = (mem.problem != nil || needsRepair(mem.report, repairProxy)) && p.retryDue(mem)
			}
			out = append(out, c)
		}
	}
	return out
}

// needsRepair: the report shows what a run repairs. A proxy down only for
// causes left to an operator is not: it is checked again when reverify is
// due or new tasks start, not every retry interval.
func needsRepair(r *inventory.HostReport, proxyRepairOn bool) bool {
	return r != nil && (r.ContainersLackingRoute > 0 || (!r.ProxyHealthy && !r.ProxyNeedsOperator && proxyRepairOn))
}

// newestRouteTasks adds to newest, per container instance, the latest
// start of a task whose containers need the route, of a revision not
// trusted to carry it (learn.go). A task whose definition could not be
// read counts: better one run too many than a container left without.
func newestRouteTasks(cl *inventory.Cluster, defs map[string]*inventory.TaskDefinition, newest map[string]time.Time, trusted func(def, taskID string) bool) {
	for _, t := range cl.Tasks {
		if td, ok := defs[t.TaskDefinitionARN]; (ok && !td.NeedsRoute()) || trusted(t.TaskDefinitionARN, t.ID) {
			continue
		}
		if started := t.StartedAt(); started.After(newest[t.ContainerInstanceARN]) {
			newest[t.ContainerInstanceARN] = started
		}
	}
}

// send sends the plan to ids, and to those whose proxy repair is held
// back (holdProxyRepair) the same plan with repairProxy=false.
func (p *pass) send(ctx context.Context, ids []string) ([]remediate.Command, error) {
	plan := p.plan.plan.With(p.mem.document)
	if !plan.RepairsProxy() {
		return remediate.Send(ctx, p.api.SSM, plan, ids, p.now, p.e.deps.Parallelism)
	}
	var full, held []string
	for _, id := range ids {
		if p.holdProxyRepair(id) {
			held = append(held, id)
		} else {
			full = append(full, id)
		}
	}
	var cmds []remediate.Command
	var errs []error
	for _, g := range []struct {
		plan remediate.Plan
		ids  []string
	}{{plan, full}, {plan.WithoutProxyRepair(), held}} {
		if len(g.ids) == 0 {
			continue
		}
		sent, err := remediate.Send(ctx, p.api.SSM, g.plan, g.ids, p.now, p.e.deps.Parallelism)
		cmds = append(cmds, sent...)
		errs = append(errs, err)
	}
	return cmds, errors.Join(errs...)
}
