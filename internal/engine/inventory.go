package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
)

// takeInventory reads the fleet again when it is due or the clusters
// changed, and asks to come back when the next one is due.
func takeInventory(ctx context.Context, p *pass) (time.Duration, error) {
	interval := p.spec.Intervals.Inventory.Duration
	key := fleetKey(p.mem.target, p.spec.Clusters)
	if p.mem.fleet != nil && key == p.mem.fleetKey && p.now.Sub(p.mem.inventoriedAt) < interval && !p.mem.inventoryForced() {
		return interval - p.now.Sub(p.mem.inventoriedAt), nil
	}
	c := inventory.Collector{ECS: p.api.ECS, SSM: p.api.SSM, TaskDefs: p.e.taskDefs, Tasks: p.mem.tasks, Parallelism: p.e.deps.Parallelism}
	// The last fleet goes before the next is read, so a large fleet is
	// held once, not twice; Collect fails only when the context ends, and
	// then the next pass reads the fleet again.
	p.mem.fleet = nil
	fleet, err := c.Collect(ctx, p.spec.Clusters)
	if err != nil {
		return 0, err // the context ended
	}
	p.did.inventoried = true
	p.mem.fleet, p.mem.fleetKey, p.mem.inventoriedAt = fleet, key, p.now
	if len(fleet.Problems) == 0 {
		p.mem.lastSync = p.now
	}
	p.mem.pruneHosts(fleet)
	readable := false
	for _, cl := range fleet.Clusters {
		readable = readable || (cl.ARN != "" && !cl.Failed)
	}
	if !readable && anyRetryable(fleet.Problems) {
		p.did.inventoryErr = fmt.Errorf("reading inventory: %s", problemsMessage(fleet.Problems))
	}
	return interval, nil
}

func anyRetryable(ps []inventory.Problem) bool {
	for _, pr := range ps {
		if pr.Reason != inventory.ReasonClusterNotFound {
			return true
		}
	}
	return false
}

// fleetKey names what an inventory read: the clusters of a target.
func fleetKey(t awsapi.Target, clusters []string) string {
	return fmt.Sprintf("%+v|%s", t, strings.Join(clusters, ","))
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
