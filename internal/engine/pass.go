package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/remediate"
)

// pass is one pass of one policy: its inputs, and the state its steps
// write and its report reads. Engine.Pass holds the policy's lock, so
// only the goroutine running the pass touches the state or the memory it
// points to.
type pass struct {
	*state
	e    *Engine
	ref  PolicyRef
	spec v1alpha1.FleetPolicySpec
	now  time.Time
	// settings are the policy's AWS settings, its event queue included;
	// api the clients built for them.
	settings awsapi.Settings
	api      awsapi.Clients
	plan     runPlan
}

// state is what a report is made from: the policy's memory, what this
// pass's steps did, and the soonest requeue they asked for.
type state struct {
	mem     *memory
	did     record
	requeue time.Duration
}

// record is what the steps of one pass did.
type record struct {
	// refused: the pass stopped before its steps, for a spec the engine
	// cannot act on or settings the operator does not allow.
	refused *blocker
	// blocked is the first reason remediation could not go on.
	blocked *blocker
	// recovered are commands SSM still ran when the memory was new;
	// restored counts the hosts whose last run was read back from SSM.
	recovered []remediate.Command
	restored  int
	// document is set when this pass created or updated the document.
	document remediate.Document
	// inventoried: the fleet was read again; inventoryErr says why none
	// of it could be (for a reason that may pass).
	inventoried  bool
	inventoryErr error
	// outcomes are the runs that ended, as applied to the hosts' memory.
	outcomes []remediate.Outcome
	// ended are the commands that ended on every host this pass, with
	// their runs that counted (this pass's and earlier ones').
	ended []endedCommand
	// sent are the commands SSM accepted this pass.
	sent []remediate.Command
	// readySet and readyRemoved count readiness attribute changes.
	readySet, readyRemoved int
	// breaker is what the breaker step did.
	breaker breakerChange
}

// endedCommand is an SSM command that ended on every host, with the runs
// of it that counted.
type endedCommand struct {
	id       string
	outcomes []remediate.Outcome
}

// blocker is why something could not go on: a condition reason and the
// error that says what to do.
type blocker struct {
	reason string
	err    error
}

// block records the first reason remediation could not go on.
func (p *pass) block(reason string, err error) {
	if p.did.blocked == nil {
		p.did.blocked = &blocker{reason: reason, err: err}
	}
}

// retrySoon is the requeue after an AWS call failed: the poll interval.
func (p *pass) retrySoon() time.Duration { return p.e.deps.PollInterval }

// begin checks the spec and the operator's trust and builds the pass. An
// error means the steps must not run; the pass still reports.
func (e *Engine) begin(ctx context.Context, ref PolicyRef, mem *memory, spec v1alpha1.FleetPolicySpec) (*pass, error) {
	p := &pass{state: &state{mem: mem}, e: e, ref: ref, spec: spec, now: e.deps.Clock.Now()}
	if err := validate(spec); err != nil {
		p.did.refused = &blocker{reason: v1alpha1.ReasonInvalidSpec, err: err}
		return p, err
	}
	p.settings = policySettings(ref, spec)
	api, err := e.deps.Clients.ClientsFor(ctx, p.settings)
	if err != nil {
		var r *awsapi.RefusedError
		if errors.As(err, &r) {
			p.did.refused = &blocker{reason: r.Reason, err: r}
			return p, fmt.Errorf("%w: %w", ErrRefused, r)
		}
		return p, fmt.Errorf("building AWS clients: %w", err)
	}
	p.api = api
	mem.retarget(p.settings.Target())
	p.plan = planRuns(spec, e.deps.BootstrapSHA256)
	if e.deps.ReadOnly {
		p.plan = readOnlyPlan()
	}
	return p, nil
}
