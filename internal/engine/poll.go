package engine

import (
	"context"
	"slices"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/remediate"
)

// pollCommands reads the commands in flight once (reading whole the
// reports SSM cut), applies the runs that ended to the hosts' memory, and
// forgets the commands that ended on every host (whose events the report
// makes). It comes back when the next command in flight is due a read
// (pollAgain: the poll interval, or the fallback while SSM's status
// events arrive).
func pollCommands(ctx context.Context, p *pass) (time.Duration, error) {
	if len(p.mem.commands) == 0 {
		return 0, nil
	}
	readings, err := remediate.Read(ctx, p.api.SSM, p.commandsToRead(), p.e.deps.Parallelism)
	for _, r := range readings {
		outs, finished := r.Outcomes(p.now)
		for _, o := range outs {
			if p.mem.apply(o) {
				p.did.outcomes = append(p.did.outcomes, o)
			}
		}
		if finished {
			p.did.ended = append(p.did.ended, p.mem.endCommand(r.Command.ID))
		}
	}
	if p.readFailed(err) {
		return p.retrySoon(), nil
	}
	return p.pollAgain(), nil
}

// readFailed records a poll's error unless it is only SSM's eventual
// consistency right after sending, and reports whether there was one.
func (p *pass) readFailed(err error) bool {
	if err != nil && !allKind(err, awsapi.KindInvocationDoesNotExist, awsapi.KindNotFound) {
		p.block(v1alpha1.ReasonAWSError, err)
	}
	return err != nil
}

// allKind reports whether every joined error is one of the given kinds
// (eventual consistency right after sending, not a failure).
func allKind(err error, kinds ...awsapi.Kind) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !allKind(e, kinds...) {
				return false
			}
		}
		return true
	}
	return slices.Contains(kinds, awsapi.Classify(err))
}
