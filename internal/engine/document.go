package engine

import (
	"context"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/remediate"
)

// ensureDocument makes the SSM document current once per memory (and
// again after SSM said it was gone or changed), if it is ecswin's. Without
// a pinned bootstrap hash there is no document to write, and remediation
// says why.
func ensureDocument(ctx context.Context, p *pass) (time.Duration, error) {
	switch {
	case p.plan.blocked():
		p.block(p.plan.reason, p.plan.err)
		return 0, nil
	case p.documentReady():
		return 0, nil
	}
	doc, err := remediate.EnsureDocument(ctx, p.api.SSM, p.plan.plan.Document, p.plan.content)
	if err != nil {
		reason, ok := p.documentProblem(err)
		if !ok {
			reason = v1alpha1.ReasonAWSError
		}
		p.block(reason, err)
		return p.retrySoon(), nil
	}
	if doc.Name == "" {
		return p.retrySoon(), nil // created meanwhile by another policy or replica: look again
	}
	p.mem.document = doc
	if doc.Change != remediate.DocumentUnchanged {
		p.did.document = doc
	}
	return 0, nil
}
