package engine

import (
	"context"
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/remediate"
)

// recover reads back, once per policy, the commands SSM still runs for
// our document, so that no host gets a second one after a restart.
func (p *passRun) recover(ctx context.Context) {
	if p.st.recovered {
		return
	}
	since := p.now.Add(-recoverLookback)
	cmds, err := remediate.Recover(ctx, p.api.SSM, p.spec.Remediation.DocumentName, since, p.now)
	if err != nil {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
		return
	}
	p.st.recovered = true
	p.st.track(cmds)
	if len(cmds) > 0 {
		hosts := 0
		for _, c := range cmds {
			hosts += len(c.InstanceIDs)
		}
		p.event(EventNormal, EventInFlightRecovered, "recovered", fmt.Sprintf("found %d SSM command(s) still running on %d host(s); no host gets a second one", len(cmds), hosts))
	}
}

// poll reads the commands in flight once and applies what ended.
func (p *passRun) poll(ctx context.Context) {
	if len(p.st.commands) == 0 {
		return
	}
	cmds := make([]remediate.Command, 0, len(p.st.commands))
	for _, c := range p.st.commands {
		cmds = append(cmds, *c)
	}
	res, err := remediate.Poll(ctx, p.api.SSM, cmds, p.now, p.e.deps.Parallelism)
	for _, o := range res.Outcomes {
		p.apply(o)
	}
	for _, id := range res.Finished {
		p.st.forgetCommand(id)
	}
	if err != nil && !allKind(err, awsapi.KindInvocationDoesNotExist, awsapi.KindNotFound) {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
	}
}

// allKind reports whether every joined error is one of the given kinds
// (eventual consistency right after sending, not a failure).
func allKind(err error, kinds ...awsapi.Kind) bool {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		k := awsapi.Classify(e)
		ok := false
		for _, want := range kinds {
			ok = ok || k == want
		}
		if !ok {
			return false
		}
	}
	return true
}
