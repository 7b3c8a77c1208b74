// Package ecsapi serves the ECS operations ecswin uses over the fleet model.
package ecsapi

import (
	"errors"

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
	CodeServiceNotFound  = "ServiceNotFoundException"
	CodeClient           = "ClientException"
	CodeTargetNotFound   = "TargetNotFoundException"
	CodeAttributeLimit   = "AttributeLimitExceededException"
)

// Page sizes when maxResults is absent. Their bounds (1..100) and the
// batch limits of the Describe calls are the documented limits that
// apimodel enforces before any operation runs.
const (
	defaultPageSize     = 100
	defaultServicesPage = 10 // ListServices: "returns up to 10 results"
)

// listCluster resolves a List call's cluster and page size.
func (a *API) listCluster(cluster string, maxResults *int32, def int) (*fleet.Cluster, int, error) {
	c, err := a.cluster(cluster)
	if err != nil {
		return nil, 0, err
	}
	return c, pageSize(maxResults, def), nil
}

func invalidParameter(format string, args ...any) error {
	return wire.ClientErr(CodeInvalidParameter, format, args...)
}

// pageSize is maxResults, or def when it is absent.
func pageSize(maxResults *int32, def int) int {
	if maxResults == nil {
		return def
	}
	return int(*maxResults)
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

// isCode tells whether err is answered with the error code.
func isCode(err error, code string) bool {
	var e *wire.Error
	return errors.As(err, &e) && e.Code == code
}
