package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// send chooses the hosts that need a run, within the policy's in-flight
// budget, makes sure the document is current, and sends. It returns as
// soon as SSM has accepted the commands.
func (p *passRun) send(ctx context.Context, plan remediate.Plan) {
	budget := int(p.spec.Remediation.MaxInFlight) - len(p.st.inFlight)
	if budget <= 0 {
		return
	}
	ids := remediate.Select(p.candidates(), remediate.SelectPolicy{
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
	for _, c := range cmds {
		p.sent++
		p.targeted += len(c.InstanceIDs)
	}
	if err != nil {
		if awsapi.IsKind(err, awsapi.KindNotFound) {
			p.st.documentReady = "" // deleted behind our back: ensure again
		}
		p.failRemediation(err, v1alpha1.ReasonAWSError)
	}
	if p.targeted > 0 {
		what := "route-bootstrap host"
		if plan.Check {
			what += " --check"
		}
		p.event(EventNormal, EventCommandsSent, "sent", fmt.Sprintf("sent %s to %d host(s) in %d SSM command(s)", what, p.targeted, p.sent))
	}
}

// ensureDocument makes the SSM document current once per policy (and
// again after SSM said it was gone).
func (p *passRun) ensureDocument(ctx context.Context, name string) {
	change, err := remediate.EnsureDocument(ctx, p.api.SSM, name)
	if err != nil {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
		return
	}
	p.st.documentReady = name
	if change != remediate.DocumentUnchanged {
		p.event(EventNormal, EventDocumentUpdated, name,
			fmt.Sprintf("SSM document %s %s with route-bootstrap's current content", name, lower(string(change))))
	}
}

// candidates describes every Windows host with an instance ID for
// selection.
func (p *passRun) candidates() []remediate.Candidate {
	proxyRepairOn := proxyRepairOn(p.spec)
	var out []remediate.Candidate
	for _, cl := range p.st.fleet.Clusters {
		newest := newestRouteTasks(cl, p.st.fleet.TaskDefinitions)
		for _, h := range cl.Hosts {
			if h.InstanceID == "" {
				continue
			}
			c := remediate.Candidate{
				InstanceID:    h.InstanceID,
				Reachable:     h.SSM == inventory.SSMOnline && p.st.inFlight[h.InstanceID] == "",
				NewestNATTask: newest[h.ContainerInstanceARN],
			}
			if mem := p.st.hosts[h.InstanceID]; mem != nil {
				c.LastRun, c.LastRunAWS = mem.lastRun, mem.lastRunAWS
				c.NeedsRepair = mem.problem != nil || needsRepair(mem.report, proxyRepairOn)
			}
			out = append(out, c)
		}
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
