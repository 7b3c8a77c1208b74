package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
)

// inventory lists the fleet again when it is due or the clusters changed.
func (p *passRun) inventory(ctx context.Context, hostsKnown func([]*inventory.Host)) error {
	key := fleetKey(p.spec)
	due := p.st.fleet == nil || key != p.st.fleetKey || p.now.Sub(p.st.inventoriedAt) >= p.spec.Intervals.Inventory.Duration
	if !due {
		return nil
	}
	c := inventory.Collector{ECS: p.api.ECS, SSM: p.api.SSM, TaskDefs: p.e.taskDefs, Tasks: p.st.tasks,
		Parallelism: p.e.deps.Parallelism, HostsKnown: hostsKnown}
	fleet, err := c.Collect(ctx, p.spec.Clusters)
	if err != nil {
		return err
	}
	p.inventoried = true
	p.st.fleet, p.st.fleetKey, p.st.inventoriedAt = fleet, key, p.now
	if len(fleet.Problems) == 0 {
		p.st.lastSync = p.now
	} else {
		p.event(EventWarning, EventInventoryIncomplete, "inventory", problemsMessage(fleet.Problems))
	}
	readable := false
	for _, cl := range fleet.Clusters {
		readable = readable || (cl.ARN != "" && !cl.Failed)
	}
	if !readable && anyRetryable(fleet.Problems) {
		p.inventoryErr = fmt.Errorf("reading inventory: %s", problemsMessage(fleet.Problems))
	}
	return nil
}

func anyRetryable(ps []inventory.Problem) bool {
	for _, pr := range ps {
		if pr.Reason != inventory.ReasonClusterNotFound {
			return true
		}
	}
	return false
}

func fleetKey(s v1alpha1.FleetPolicySpec) string {
	return fmt.Sprintf("%+v|%s", awsapi.SettingsFrom(s.AWS), strings.Join(s.Clusters, ","))
}

func problemsMessage(ps []inventory.Problem) string {
	parts := make([]string, 0, 3)
	for i, pr := range ps {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-3))
			break
		}
		where := pr.Cluster
		if where == "" {
			where = "fleet"
		}
		parts = append(parts, fmt.Sprintf("%s: %s (%d): %s", where, pr.Reason, pr.Count, pr.Message))
	}
	return strings.Join(parts, "; ")
}
