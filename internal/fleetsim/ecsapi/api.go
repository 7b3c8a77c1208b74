// Package ecsapi serves the ECS operations ecswin uses over the fleet model.
package ecsapi

import (
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// API is the ECS service of one simulated fleet.
type API struct {
	Fleet *fleet.Fleet
	// Guard brackets every operation: the simulator locks itself and
	// brings its clock-driven state up to date there.
	Guard wire.Guard
}

// Register adds every ECS operation to m.
func (a *API) Register(m *wire.Mux) {
	read(m, a, "ListClusters", a.listClusters)
	read(m, a, "DescribeClusters", a.describeClusters)
	read(m, a, "ListContainerInstances", a.listContainerInstances)
	read(m, a, "DescribeContainerInstances", a.describeContainerInstances)
	read(m, a, "ListTasks", a.listTasks)
	read(m, a, "DescribeTasks", a.describeTasks)
	read(m, a, "ListServices", a.listServices)
	read(m, a, "DescribeServices", a.describeServices)
	read(m, a, "DescribeTaskDefinition", a.describeTaskDefinition)
	read(m, a, "ListTaskDefinitions", a.listTaskDefinitions)
	read(m, a, "ListAttributes", a.listAttributes)
	handle(m, a, "PutAttributes", a.putAttributes)
	handle(m, a, "DeleteAttributes", a.deleteAttributes)
}

func handle[In any](m *wire.Mux, a *API, name string, fn func(*In) (any, error)) {
	wire.HandleGuarded(m, wire.ECS, name, a.Guard, false, fn)
}

// read registers an operation that changes nothing.
func read[In any](m *wire.Mux, a *API, name string, fn func(*In) (any, error)) {
	wire.HandleGuarded(m, wire.ECS, name, a.Guard, true, fn)
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

// describeBatch validates a Describe call's list (1..100 items) and its cluster.
func (a *API) describeBatch(cluster, field string, refs []string) (*fleet.Cluster, error) {
	if len(refs) == 0 {
		return nil, invalidParameter("%s can not be empty.", field)
	}
	if len(refs) > maxDescribeBatch {
		return nil, invalidParameter("%s can have at most %d items.", field, maxDescribeBatch)
	}
	return a.cluster(cluster)
}

// listCluster validates a List call's cluster and maxResults.
func (a *API) listCluster(cluster string, maxResults *int32) (*fleet.Cluster, int, error) {
	c, err := a.cluster(cluster)
	if err != nil {
		return nil, 0, err
	}
	size, err := pageSize(maxResults)
	return c, size, err
}

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

func token(next int, scope string) string {
	if next < 0 {
		return ""
	}
	return wire.PageToken(scope, next)
}
