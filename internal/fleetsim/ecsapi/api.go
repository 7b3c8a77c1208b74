// Package ecsapi serves the ECS operations ecswin uses over the fleet model.
package ecsapi

import (
	"context"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// API is the ECS service of one simulated fleet.
type API struct {
	Fleet *fleet.Fleet
	// Enter runs before every operation and returns the function that
	// ends it; the simulator locks itself and brings its clock-driven
	// state up to date there.
	Enter func() (leave func())
}

// Register adds every ECS operation to m.
func (a *API) Register(m *wire.Mux) {
	handle(m, a, "ListClusters", a.listClusters)
	handle(m, a, "DescribeClusters", a.describeClusters)
	handle(m, a, "ListContainerInstances", a.listContainerInstances)
	handle(m, a, "DescribeContainerInstances", a.describeContainerInstances)
	handle(m, a, "ListTasks", a.listTasks)
	handle(m, a, "DescribeTasks", a.describeTasks)
	handle(m, a, "DescribeTaskDefinition", a.describeTaskDefinition)
	handle(m, a, "ListTaskDefinitions", a.listTaskDefinitions)
	handle(m, a, "ListAttributes", a.listAttributes)
	handle(m, a, "PutAttributes", a.putAttributes)
	handle(m, a, "DeleteAttributes", a.deleteAttributes)
}

func handle[In any](m *wire.Mux, a *API, name string, fn func(*In) (any, error)) {
	m.Handle(wire.ECS, name, wire.Typed(func(_ context.Context, in *In) (any, error) {
		leave := a.Enter()
		defer leave()
		return fn(in)
	}))
}

// ECS error codes.
const (
	CodeInvalidParameter = "InvalidParameterException"
	CodeClusterNotFound  = "ClusterNotFoundException"
	CodeClient           = "ClientException"
	CodeTargetNotFound   = "TargetNotFoundException"
	CodeAttributeLimit   = "AttributeLimitExceededException"
)

// Limits AWS applies to ECS requests.
const (
	maxPageSize      = 100
	maxDescribeBatch = 100
	maxPutAttributes = 10
)

func invalidParameter(format string, args ...any) error {
	return wire.ClientErr(CodeInvalidParameter, format, args...)
}

func (a *API) cluster(nameOrARN string) (*fleet.Cluster, error) {
	c := a.Fleet.Cluster(nameOrARN)
	if c == nil {
		return nil, wire.ClientErr(CodeClusterNotFound, "Cluster not found.")
	}
	return c, nil
}

// pageSize validates maxResults (1..100; absent means 100).
func pageSize(maxResults *int32) (int, error) {
	if maxResults == nil {
		return maxPageSize, nil
	}
	if *maxResults < 1 || *maxResults > maxPageSize {
		return 0, invalidParameter("maxResults must be between 1 and %d.", maxPageSize)
	}
	return int(*maxResults), nil
}

func startAt(token, scope string) (int, error) {
	pos, ok := wire.ParsePageToken(token, scope)
	if !ok {
		return 0, invalidParameter("Invalid token %s", token)
	}
	return pos, nil
}

// page collects up to size items from n positions starting at start for
// which match gives an item, and returns the position of the next
// matching one (or -1), so that a token is only handed out when another
// page really exists, as AWS does.
func page[T any](start, n, size int, match func(pos int) (T, bool)) ([]T, int) {
	out := make([]T, 0, min(size, max(0, n-start)))
	pos := start
	for ; pos < n; pos++ {
		item, ok := match(pos)
		if !ok {
			continue
		}
		if len(out) == size {
			return out, pos
		}
		out = append(out, item)
	}
	return out, -1
}

func token(next int, scope string) string {
	if next < 0 {
		return ""
	}
	return wire.PageToken(scope, next)
}
