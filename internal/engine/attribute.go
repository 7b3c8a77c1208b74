package engine

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
)

// attributeBatch is the most attributes one PutAttributes or
// DeleteAttributes call takes.
const attributeBatch = 10

// attributeChange is one host whose readiness attribute must change.
type attributeChange struct {
	host *inventory.Host
	put  bool
}

// markReadiness keeps the readiness attribute in step with what the
// hosts last reported, in Enforce only (a dry run writes nothing): put on
// healthy hosts, removed from hosts found drifted or whose run failed.
// Hosts not yet verified, unreachable or being repaired keep theirs.
// Only changes cost calls, so a steady fleet costs none.
func (p *passRun) markReadiness(ctx context.Context) {
	if p.spec.Remediation.Mode != v1alpha1.ModeEnforce || p.e.deps.ReadOnly || p.st.fleet == nil {
		return
	}
	var (
		g    errgroup.Group
		mu   sync.Mutex
		errs []error
	)
	g.SetLimit(p.e.deps.Parallelism)
	for _, cl := range p.st.fleet.Clusters {
		if cl.ARN == "" {
			continue
		}
		var changes []attributeChange
		for _, h := range cl.Hosts {
			switch hostState(h, p.st) {
			case HostHealthy:
				if !h.CredentialsReady {
					changes = append(changes, attributeChange{h, true})
				}
			case HostDrifted, HostRepairFailed, HostReportUnreadable:
				if h.CredentialsReady {
					changes = append(changes, attributeChange{h, false})
				}
			}
		}
		for _, batch := range splitChanges(changes) {
			g.Go(func() error {
				if err := p.applyAttributes(ctx, cl.ARN, batch); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				return nil
			})
		}
	}
	_ = g.Wait()
	for _, err := range errs {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
	}
}

// splitChanges groups changes into calls of one kind, 10 at most each.
func splitChanges(changes []attributeChange) [][]attributeChange {
	var puts, dels, out [][]attributeChange
	add := func(to *[][]attributeChange, c attributeChange) {
		if n := len(*to); n == 0 || len((*to)[n-1]) == attributeBatch {
			*to = append(*to, nil)
		}
		(*to)[len(*to)-1] = append((*to)[len(*to)-1], c)
	}
	for _, c := range changes {
		if c.put {
			add(&puts, c)
		} else {
			add(&dels, c)
		}
	}
	out = append(out, puts...)
	return append(out, dels...)
}

func (p *passRun) applyAttributes(ctx context.Context, cluster string, batch []attributeChange) error {
	attrs := make([]ecstypes.Attribute, len(batch))
	for i, c := range batch {
		attrs[i] = ecstypes.Attribute{
			Name:       aws.String(inventory.ReadyAttribute),
			TargetType: ecstypes.TargetTypeContainerInstance,
			TargetId:   aws.String(c.host.ContainerInstanceARN),
		}
		if c.put {
			attrs[i].Value = aws.String(inventory.ReadyValue)
		}
	}
	var err error
	if batch[0].put {
		_, err = p.api.ECS.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: aws.String(cluster), Attributes: attrs})
	} else {
		_, err = p.api.ECS.DeleteAttributes(ctx, &ecs.DeleteAttributesInput{Cluster: aws.String(cluster), Attributes: attrs})
	}
	if err != nil {
		return fmt.Errorf("updating the %s attribute on %d host(s): %w", inventory.ReadyAttribute, len(batch), err)
	}
	for _, c := range batch {
		c.host.CredentialsReady = c.put
	}
	p.mu.Lock()
	if batch[0].put {
		p.attributesSet += len(batch)
	} else {
		p.attributesRemoved += len(batch)
	}
	p.mu.Unlock()
	return nil
}
