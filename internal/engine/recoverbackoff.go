package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/remediate"
)

// replayDepth is how many of a host's runs a restart reads back to
// rebuild its back-off: enough failures for the back-off to reach the
// reverify period (8 at the defaults, 3m to 6h; at most 16, 30s to 168h),
// and at least enough for the RepairNotTaking flag.
func replayDepth(base, reverify time.Duration) int {
	n := 1
	for d := base; d < reverify; d *= 2 {
		n++
	}
	return max(n, repairStallRuns)
}

// replayBackoff rebuilds, after a restart, the back-off of the hosts
// whose last run did not take, or left a proxy that repair should fix
// broken (its repair may have been held back), from their earlier runs in
// SSM's history: their last replayDepth runs are read (one
// ListCommandInvocations per command that holds any, the command's other
// hosts skipped) and judged again, oldest first, as the live passes
// judged them. Other hosts are not read, so a steady fleet's restart costs
// nothing more. Without this, a restart would start every stalled host's
// back-off over at the retry interval.
func replayBackoff(ctx context.Context, p *pass, h remediate.History) error {
	if p.spec.Remediation.Mode != v1alpha1.ModeEnforce {
		return nil // checks are not judged
	}
	walk := map[string]bool{}
	for id, hm := range p.mem.hosts {
		r := hm.report
		proxyLeft := proxyRepairOn(p.spec) && r != nil && !r.ProxyHealthy && !r.ProxyNeedsOperator
		if hm.repairs.failed > 0 || proxyLeft {
			walk[id] = true
		}
	}
	if len(walk) == 0 {
		return nil
	}
	depth := replayDepth(p.retryBase(), p.spec.Intervals.Reverify.Duration)
	taken := map[string]int{}
	var cmds []remediate.Command
	for _, c := range h.Finished { // newest first
		skip := map[string]bool{}
		for _, id := range c.InstanceIDs {
			if walk[id] && taken[id] < depth {
				taken[id]++
			} else {
				skip[id] = true
			}
		}
		if len(skip) < len(c.InstanceIDs) {
			c.Ended = skip
			cmds = append(cmds, c)
		}
	}
	readings, err := remediate.Read(ctx, p.api.SSM, cmds, p.e.deps.Parallelism)
	if err != nil {
		return fmt.Errorf("reading the earlier runs of hosts whose last run did not take: %w", err)
	}
	type run struct {
		o   remediate.Outcome
		cmd remediate.Command
	}
	byHost := map[string][]run{}
	for _, r := range readings {
		for _, o := range r.Ended(p.now) {
			byHost[o.InstanceID] = append(byHost[o.InstanceID], run{o, r.Command})
		}
	}
	for id, runs := range byHost {
		hm := p.mem.hosts[id]
		if hm == nil {
			continue
		}
		slices.SortStableFunc(runs, func(a, b run) int { return a.cmd.RequestedAt.Compare(b.cmd.RequestedAt) })
		var rep repairs
		for i := range runs {
			rep.judge(runs[i].o, &runs[i].cmd)
		}
		hm.repairs = rep
	}
	return nil
}
