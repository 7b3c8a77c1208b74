package engine

import (
	"context"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// markReadiness keeps the readiness attribute in step with what the
// hosts last reported, in Enforce only (a dry run writes nothing): put on
// healthy hosts, removed from hosts found drifted or whose run failed;
// a read-only engine writes none.
// Hosts not yet verified, unreachable or being repaired keep theirs.
// Only changes cost calls, so a steady fleet costs none.
func markReadiness(ctx context.Context, p *pass) (time.Duration, error) {
	if p.spec.Remediation.Mode != v1alpha1.ModeEnforce || p.e.deps.ReadOnly || p.mem.fleet == nil {
		return 0, nil
	}
	changes, hosts := readinessChanges(p.mem)
	if len(changes) == 0 {
		return 0, nil
	}
	applied, err := remediate.SetReadiness(ctx, p.api.ECS, changes, p.e.deps.Parallelism)
	for _, c := range applied {
		hosts[c.ContainerInstanceARN].CredentialsReady = c.Ready
		if c.Ready {
			p.did.readySet++
		} else {
			p.did.readyRemoved++
		}
	}
	if err != nil {
		p.block(v1alpha1.ReasonAWSError, err)
		return p.retrySoon(), nil
	}
	return 0, nil
}

// readinessChanges are the hosts whose attribute does not say what their
// state says, with the hosts by container-instance ARN.
func readinessChanges(m *memory) ([]remediate.ReadinessChange, map[string]*inventory.Host) {
	var changes []remediate.ReadinessChange
	hosts := map[string]*inventory.Host{}
	for _, cl := range m.fleet.Clusters {
		if cl.ARN == "" {
			continue
		}
		for _, h := range cl.Hosts {
			ready := h.CredentialsReady
			switch hostState(h, m) {
			case HostHealthy:
				ready = true
			case HostDrifted, HostRepairFailed, HostReportUnreadable:
				ready = false
			}
			if ready != h.CredentialsReady {
				changes = append(changes, remediate.ReadinessChange{Cluster: cl.ARN, ContainerInstanceARN: h.ContainerInstanceARN, Ready: ready})
				hosts[h.ContainerInstanceARN] = h
			}
		}
	}
	return changes, hosts
}
