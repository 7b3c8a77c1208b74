package ecsapi

import (
	"regexp"
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Resource types in ECS ARNs.
const (
	kindCluster           = "cluster"
	kindContainerInstance = "container-instance"
	kindTask              = "task"
	kindService           = "service"
	kindTaskDefinition    = "task-definition"
)

// clusterNamePattern is what ECS accepts as a cluster name ("Cluster must
// match ^[a-zA-Z0-9\-_]{1,255}$, but was ...").
var clusterNamePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_]{1,255}$`)

// resource reads a reference as ECS takes one, a name or ID or an ARN,
// and returns what follows "<kind>/" in an ARN (the reference itself
// otherwise). An ARN must be ECS's, of this account and region and of
// the expected kind: ECS refuses anything else, it does not serve
// another account's or region's resources as its own. (Cut, not Split:
// Describe calls resolve a hundred of these per request.)
func (a *API) resource(field, ref, kind string) (string, error) {
	rest, isARN := strings.CutPrefix(ref, "arn:")
	if !isARN {
		return ref, nil
	}
	rest, ok := strings.CutPrefix(rest, "aws:ecs:")
	region, rest, ok2 := strings.Cut(rest, ":")
	account, resource, ok3 := strings.Cut(rest, ":")
	if !ok || !ok2 || !ok3 {
		return "", invalidParameter("%s: %s is not an Amazon ECS ARN.", field, ref)
	}
	if account != a.Fleet.AccountID {
		return "", invalidParameter("Identifier is for %s. Your accountId is %s", account, a.Fleet.AccountID)
	}
	if region != a.Fleet.Region {
		return "", invalidParameter("Identifier is for region %s. This endpoint is region %s", region, a.Fleet.Region)
	}
	after, ok := strings.CutPrefix(resource, kind+"/")
	if !ok || after == "" {
		return "", invalidParameter("%s: %s is not a %s ARN.", field, ref, kind)
	}
	return after, nil
}

// cluster resolves a cluster name or ARN ("" is "default").
func (a *API) cluster(ref string) (*fleet.Cluster, error) {
	name := ref
	if name == "" {
		name = "default"
	}
	if strings.HasPrefix(ref, "arn:") {
		var err error
		if name, err = a.resource("cluster", ref, kindCluster); err != nil {
			return nil, err
		}
	}
	if !clusterNamePattern.MatchString(name) {
		return nil, invalidParameter("Cluster must match %s, but was %s", clusterNamePattern, name)
	}
	c := a.Fleet.Cluster(name)
	if c == nil {
		return nil, wire.ClientErr(CodeClusterNotFound, "Cluster not found.")
	}
	return c, nil
}

// member resolves the ID of a cluster member (container instance, task,
// service) from its ID or ARN: the long ARN format names the cluster,
// and one of another cluster is a member this cluster does not have (ok
// false).
func (a *API) member(c *fleet.Cluster, field, ref, kind string) (id string, ok bool, err error) {
	rest, err := a.resource(field, ref, kind)
	if err != nil {
		return "", false, err
	}
	cluster, id, long := strings.Cut(rest, "/")
	if !long {
		return rest, true, nil
	}
	if strings.Contains(id, "/") || id == "" {
		return "", false, invalidParameter("%s: %s is not a %s ARN.", field, ref, kind)
	}
	return id, cluster == c.Name, nil
}

// failureARN is what failures[].arn says for a reference ECS could not
// find: the resource's ARN, as ECS reports it even when given an ID.
func failureARN(ref string, arnOf func(id string) string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return arnOf(ref)
}

// members is the part of a Describe call every kind shares: what to
// look the references up as, and how to name a missing one.
type members[T any] struct {
	field, kind string
	find        func(id string) T // nil when the cluster has no such member
	arn         func(id string) string
}

// describe resolves each reference of a Describe call in c, rendering
// what it finds and answering the rest in failures[] by their ARN.
func describe[T comparable, R any](a *API, c *fleet.Cluster, refs []string, m members[T], render func(T) R) ([]R, []failure, error) {
	var none T
	found := make([]R, 0, len(refs))
	failures := []failure{}
	for _, ref := range refs {
		id, ok, err := a.member(c, m.field, ref, m.kind)
		if err != nil {
			return nil, nil, err
		}
		if x := m.find(id); ok && x != none {
			found = append(found, render(x))
			continue
		}
		failures = append(failures, failure{Arn: failureARN(ref, m.arn), Reason: "MISSING"})
	}
	return found, failures, nil
}
