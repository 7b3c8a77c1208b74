package remediate

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bounded"
	"github.com/ecswin/ecswin/internal/inventory"
)

// AttributeBatch is the most attributes one PutAttributes or
// DeleteAttributes call takes.
const AttributeBatch = 10

// ReadinessChange is one host whose readiness attribute
// (inventory.ReadyAttribute) must be put (Ready) or removed.
type ReadinessChange struct {
	Cluster              string
	ContainerInstanceARN string
	Ready                bool
}

// SetReadiness writes the changes to ECS, ten of one kind and cluster per
// call, up to parallelism calls at once, and returns those ECS took. A
// call that fails is in the error; its hosts keep what they had.
func SetReadiness(ctx context.Context, api awsapi.ECSAPI, changes []ReadinessChange, parallelism int) ([]ReadinessChange, error) {
	done, err := bounded.Map(ctx, parallelism, readinessCalls(changes), func(ctx context.Context, batch []ReadinessChange) ([]ReadinessChange, error) {
		if err := writeReadiness(ctx, api, batch); err != nil {
			return nil, err
		}
		return batch, nil
	})
	var applied []ReadinessChange
	for _, batch := range done {
		applied = append(applied, batch...)
	}
	return applied, err
}

// readinessCalls groups changes by cluster and kind (puts first), in
// calls of AttributeBatch at most, keeping their order within a group.
func readinessCalls(changes []ReadinessChange) [][]ReadinessChange {
	type group struct {
		cluster string
		ready   bool
	}
	var order []group
	byGroup := map[group][]ReadinessChange{}
	for _, put := range []bool{true, false} {
		for _, c := range changes {
			g := group{c.Cluster, put}
			if c.Ready != put {
				continue
			}
			if _, ok := byGroup[g]; !ok {
				order = append(order, g)
			}
			byGroup[g] = append(byGroup[g], c)
		}
	}
	calls := make([][]ReadinessChange, 0, len(order))
	for _, g := range order {
		calls = append(calls, bounded.Batches(byGroup[g], AttributeBatch)...)
	}
	return calls
}

func writeReadiness(ctx context.Context, api awsapi.ECSAPI, batch []ReadinessChange) error {
	attrs := make([]ecstypes.Attribute, len(batch))
	for i, c := range batch {
		attrs[i] = ecstypes.Attribute{
			Name:       aws.String(inventory.ReadyAttribute),
			TargetType: ecstypes.TargetTypeContainerInstance,
			TargetId:   aws.String(c.ContainerInstanceARN),
		}
		if c.Ready {
			attrs[i].Value = aws.String(inventory.ReadyValue)
		}
	}
	cluster := aws.String(batch[0].Cluster)
	var err error
	if batch[0].Ready {
		_, err = api.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: cluster, Attributes: attrs})
	} else {
		_, err = api.DeleteAttributes(ctx, &ecs.DeleteAttributesInput{Cluster: cluster, Attributes: attrs})
	}
	if err != nil {
		return fmt.Errorf("updating the %s attribute on %d host(s): %w", inventory.ReadyAttribute, len(batch), err)
	}
	return nil
}
