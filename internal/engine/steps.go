package engine

import (
	"context"
	"fmt"
	"time"
)

// step is one part of a pass. It may ask for the next pass within some
// time (0: no opinion; the soonest wins, as Karpenter's result.Min). An
// error ends the pass: only the context's end does that; any other
// failure is recorded for the report, and the next steps go on.
type step struct {
	name string
	run  func(context.Context, *pass) (time.Duration, error)
}

// steps are a pass, in the order of the README's loop. A new concern is
// a new step here (or a condition in conditions.go, or a field of
// hostMemory), not another restructure.
var steps = []step{
	{"hints", takeHints},
	{"recover", recoverCommands},
	{"poll", pollCommands},
	{"document", ensureDocument},
	{"inventory", takeInventory},
	{"learn", learnRevisions},
	{"breaker", judgeBreaker},
	{"audit", auditFleet},
	{"repair", sendRepairs},
	{"checks", noteChecks},
	{"mark", markReadiness},
}

// runSteps runs the steps in order. A fleet that could not be read at all
// (nothing readable, for a reason that may pass) is the pass's error once
// the other steps have run.
func (p *pass) runSteps(ctx context.Context) error {
	for _, s := range steps {
		next, err := s.run(ctx, p)
		p.requeue = soonest(p.requeue, next)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return p.did.inventoryErr
}

// soonest is the shorter of two requeues, 0 meaning none asked.
func soonest(a, b time.Duration) time.Duration {
	switch {
	case a <= 0:
		return b
	case b <= 0:
		return a
	}
	return min(a, b)
}
