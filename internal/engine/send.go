package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// sendAll considers every host of the fleet, with its tasks, for a run.
func (p *passRun) sendAll(ctx context.Context, rp runPlan) {
	var hosts []*inventory.Host
	newest := map[string]time.Time{}
	for _, cl := range p.st.fleet.Clusters {
		hosts = append(hosts, cl.Hosts...)
		for arn, t := range newestRouteTasks(cl, p.st.fleet.TaskDefinitions) {
			newest[arn] = t
		}
	}
	p.sendTo(ctx, rp, hosts, newest)
}

// sendTo chooses among hosts those that need a run, within the policy's
// in-flight budget, and sends. It returns as soon as SSM has accepted the
// commands. newest holds the latest start of a task needing the route per
// container instance; without it (hosts whose tasks are still being
// listed) new tasks are simply not a reason yet. Calls are serialised:
// each reads and takes from the same budget, and sends only with the
// document version ensured (which a refused send forgets).
func (p *passRun) sendTo(ctx context.Context, rp runPlan, hosts []*inventory.Host, newest map[string]time.Time) {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if !p.documentReady(rp) {
		return
	}
	plan := rp.plan.With(p.st.document)
	budget := int(p.spec.Remediation.MaxInFlight) - len(p.st.inFlight)
	if budget <= 0 {
		return
	}
	ids := remediate.Select(p.candidates(hosts, newest), remediate.SelectPolicy{
		Now:              p.now,
		Reverify:         p.spec.Intervals.Reverify.Duration,
		RetryAfter:       repairRetryFactor * p.spec.Intervals.Inventory.Duration,
		RepairOnFindings: p.spec.Remediation.Mode == v1alpha1.ModeEnforce,
		Budget:           budget,
	})
	if len(ids) == 0 {
		return
	}
	cmds, err := remediate.Send(ctx, p.api.SSM, plan, ids, p.now, p.e.deps.Parallelism)
	p.st.track(cmds)
	p.mu.Lock()
	for _, c := range cmds {
		p.sent++
		p.targeted += len(c.InstanceIDs)
	}
	p.mu.Unlock()
	if err != nil {
		reason, ok := p.documentProblem(err)
		if !ok {
			reason = v1alpha1.ReasonAWSError
		}
		p.failRemediation(err, reason)
	}
}

// ensureDocument makes the SSM document current once per policy (and
// again after SSM said it was gone or changed), if it is ecswin's.
func (p *passRun) ensureDocument(ctx context.Context, name string, content []byte) {
	doc, err := remediate.EnsureDocument(ctx, p.api.SSM, name, content)
	if err != nil {
		reason, ok := p.documentProblem(err)
		if !ok {
			reason = v1alpha1.ReasonAWSError
		}
		p.failRemediation(err, reason)
		return
	}
	if doc.Name == "" {
		return // created meanwhile by another policy or replica: look again next pass
	}
	p.st.document = doc
	if doc.Change != remediate.DocumentUnchanged {
		p.event(EventNormal, EventDocumentUpdated, name,
			fmt.Sprintf("SSM document %s %s with route-bootstrap's current content (version %s)", name, lower(string(doc.Change)), doc.Version))
	}
}

// candidates describes hosts with an instance ID for selection.
func (p *passRun) candidates(hosts []*inventory.Host, newest map[string]time.Time) []remediate.Candidate {
	proxyRepairOn := proxyRepairOn(p.spec)
	out := make([]remediate.Candidate, 0, len(hosts))
	for _, h := range hosts {
		if h.InstanceID == "" {
			continue
		}
		c := remediate.Candidate{
			InstanceID: h.InstanceID,
			Reachable: h.SSM == inventory.SSMOnline && p.st.inFlight[h.InstanceID] == "" &&
				!p.st.locks.heldByOther(p.st.account, h.InstanceID, p.ref),
			NewestNATTask: newest[h.ContainerInstanceARN],
		}
		if mem := p.st.hosts[h.InstanceID]; mem != nil {
			c.LastRun, c.LastRunAWS = mem.lastRun, mem.lastRunAWS
			c.NeedsRepair = mem.problem != nil || needsRepair(mem.report, proxyRepairOn)
		}
		out = append(out, c)
	}
	return out
}

func needsRepair(r *inventory.HostReport, proxyRepairOn bool) bool {
	return r != nil && (r.ContainersLackingRoute > 0 || (!r.ProxyHealthy && proxyRepairOn))
}

func proxyRepairOn(s v1alpha1.FleetPolicySpec) bool {
	return s.Remediation.Mode == v1alpha1.ModeEnforce && s.Remediation.HostProxy == v1alpha1.HostProxyEnforce
}

// newestRouteTasks is, per container instance, the latest start of a
// task whose containers need the route. A task whose definition could not
// be read counts: better one run too many than a container left without.
func newestRouteTasks(cl *inventory.Cluster, defs map[string]*inventory.TaskDefinition) map[string]time.Time {
	out := map[string]time.Time{}
	for _, t := range cl.Tasks {
		if td, ok := defs[t.TaskDefinitionARN]; ok && !td.NeedsRoute() {
			continue
		}
		if t.StartedAt.After(out[t.ContainerInstanceARN]) {
			out[t.ContainerInstanceARN] = t.StartedAt
		}
	}
	return out
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
