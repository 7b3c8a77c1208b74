package engine

import (
	"errors"
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/buildinfo"
	"github.com/ecswin/ecswin/internal/remediate"
)

// The trust boundary as the pass sees it: what the operator's settings
// refuse stops the policy before anything reaches AWS, and runs go out
// only with the bootstrap hash the operator (or the release) pinned, in
// a document ecswin owns.

// ErrRefused wraps a policy setting the operator's trust settings refuse
// (an endpoint, a role); like ErrInvalidSpec, only a change (of the spec,
// or of the manager's flags, which restarts it) helps.
var ErrRefused = fmt.Errorf("%w: refused by the operator's trust settings", ErrInvalidSpec)

// FlagBootstrapSHA256 is the manager's (and ecswinctl's) flag that pins
// the SHA-256 of route-bootstrap.exe when the build embeds none.
const FlagBootstrapSHA256 = "--bootstrap-sha256"

// runPlan is what a pass may send, or why it may send nothing.
type runPlan struct {
	plan remediate.Plan
	// content is the SSM document, pinning the bootstrap hash.
	content []byte
	hash    string
	err     error
	reason  string
}

// errReadOnly is why a read-only pass sends no runs.
var errReadOnly = errors.New("read-only: nothing was sent to SSM; hosts are judged from ECS and the runs SSM already knows of")

// readOnlyPlan is the plan of a read-only engine: nothing to send.
func readOnlyPlan() runPlan { return runPlan{reason: v1alpha1.ReasonReadOnly, err: errReadOnly} }

// planRuns builds a pass's plan from the spec and the pinned bootstrap
// hash; without a hash no run is planned and the reason names the flag.
func planRuns(spec v1alpha1.FleetPolicySpec, pinned string) runPlan {
	if pinned == "" {
		return runPlan{reason: v1alpha1.ReasonBootstrapHashMissing, err: fmt.Errorf(
			"no route-bootstrap.exe SHA-256 is pinned (this build embeds none: a plain go build), so ecswin sends no runs: "+
				"start the manager with %s=<sha256 of the route-bootstrap.exe your hosts download>, or run a release build (make build, make release)",
			FlagBootstrapSHA256)}
	}
	if !buildinfo.ValidSHA256(pinned) {
		return runPlan{reason: v1alpha1.ReasonBootstrapHashMissing, err: fmt.Errorf(
			"the pinned route-bootstrap.exe SHA-256 %q is not 64 lower-case hex digits: fix %s", pinned, FlagBootstrapSHA256)}
	}
	content, err := ssmdoc.Content(pinned)
	if err != nil {
		return runPlan{reason: v1alpha1.ReasonBootstrapHashMissing, err: err}
	}
	plan, err := remediate.PlanFor(spec)
	if err != nil {
		return runPlan{reason: v1alpha1.ReasonInvalidSpec, err: err}
	}
	return runPlan{plan: plan, content: content, hash: ssmdoc.Hash(content)}
}

// blocked: the plan cannot be sent (its err and reason say why).
func (r runPlan) blocked() bool { return r.err != nil }

// documentReady reports whether the document of the pass's plan was
// ensured, with its content, and may be run.
func (p *pass) documentReady() bool {
	d, rp := p.mem.document, p.plan
	return rp.err == nil && d.Name == rp.plan.Document && d.Hash == rp.hash && d.Version != ""
}

// documentProblem says why the document cannot be run, for the
// RemediationHealthy condition, and forgets the ensured version when SSM
// says it changed or went away.
func (p *pass) documentProblem(err error) (string, bool) {
	switch {
	case errors.Is(err, remediate.ErrDocumentNotOwned):
		return v1alpha1.ReasonDocumentNotOwned, true
	case awsapi.IsKind(err, awsapi.KindDocumentChanged):
		p.mem.document = remediate.Document{}
		return v1alpha1.ReasonDocumentChanged, true
	case awsapi.IsKind(err, awsapi.KindNotFound):
		p.mem.document = remediate.Document{} // deleted behind our back: ensure again
	}
	return "", false
}
