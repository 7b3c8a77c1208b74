package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/remediate"
)

// recoverCommands asks SSM, once per memory (a new process, a new
// leader, a new target), what the document's commands did. Those still
// running become the hosts in flight, so no host gets a second command.
// Those that ended within the reverify period give each host its last run
// and report, so a restart does not check again a fleet that was just
// checked, and hosts that started NAT-mode tasks since come before those
// merely due. It must succeed before anything is sent.
//
// SSM's history, rather than a time ecswin would write on each container
// instance, because it costs nothing while running (the commands are
// there anyway), holds DryRun checks too (DryRun writes no attribute),
// needs no permission beyond polling's, and records what the host itself
// printed rather than what anyone with ecs:PutAttributes could set.
func recoverCommands(ctx context.Context, p *pass) (time.Duration, error) {
	if p.mem.recovered {
		return 0, nil
	}
	reverify := p.spec.Intervals.Reverify.Duration
	since := p.now.Add(-max(recoverLookback, reverify))
	history, err := remediate.Recover(ctx, p.api.SSM, p.spec.Remediation.DocumentName, since, p.now)
	if err != nil {
		p.block(v1alpha1.ReasonAWSError, err)
		return p.retrySoon(), nil
	}
	last := lastRuns(history, p.now.Add(-reverify))
	readings, err := remediate.Read(ctx, p.api.SSM, last, p.e.deps.Parallelism)
	if err != nil {
		p.block(v1alpha1.ReasonAWSError, fmt.Errorf("reading the last runs of the document's hosts: %w", err))
		return p.retrySoon(), nil
	}
	for _, r := range readings {
		for _, o := range r.Ended(p.now) {
			p.mem.restore(o, r.Command)
			p.did.restored++
		}
	}
	if err := replayBackoff(ctx, p, history); err != nil {
		p.block(v1alpha1.ReasonAWSError, err)
		return p.retrySoon(), nil
	}
	p.mem.track(history.Running)
	p.mem.recovered = true
	p.did.recovered = history.Running
	return 0, nil
}

// lastRuns picks, for each host not in flight, the newest command of the
// history that ran on it since then, and marks the host ended in every
// older one, so that reading the picked commands reads each host's last
// run once and no command that holds none.
func lastRuns(h remediate.History, since time.Time) []remediate.Command {
	claimed := map[string]bool{}
	for _, c := range h.Running {
		for _, id := range c.InstanceIDs {
			claimed[id] = true
		}
	}
	var out []remediate.Command
	for _, c := range h.Finished { // newest first
		if c.RequestedAt.Before(since) {
			break
		}
		ended := map[string]bool{}
		for _, id := range c.InstanceIDs {
			if claimed[id] {
				ended[id] = true
			}
			claimed[id] = true
		}
		if len(ended) < len(c.InstanceIDs) {
			c.Ended = ended
			out = append(out, c)
		}
	}
	return out
}
