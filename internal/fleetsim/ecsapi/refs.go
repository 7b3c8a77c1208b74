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
// and returns the resource part after "<kind>/" split at slashes: for
// an ID, just the ID. An ARN must be ECS's, of this account and region
// and of the expected kind: ECS refuses anything else, it does not
// serve another account's or region's resources as its own.
func (a *API) resource(field, ref, kind string) ([]string, error) {
	if !strings.HasPrefix(ref, "arn:") {
		return []string{ref}, nil
	}
	f := strings.SplitN(ref, ":", 6)
	if len(f) != 6 || f[1] != "aws" || f[2] != "ecs" {
		return nil, invalidParameter("%s: %s is not an Amazon ECS ARN.", field, ref)
	}
	if f[4] != a.Fleet.AccountID {
		return nil, invalidParameter("Identifier is for %s. Your accountId is %s", f[4], a.Fleet.AccountID)
	}
	if f[3] != a.Fleet.Region {
		return nil, invalidParameter("Identifier is for region %s. This endpoint is region %s", f[3], a.Fleet.Region)
	}
	rest, ok := strings.CutPrefix(f[5], kind+"/")
	if !ok || rest == "" {
		return nil, invalidParameter("%s: %s is not a %s ARN.", field, ref, kind)
	}
	return strings.Split(rest, "/"), nil
}

// cluster resolves a cluster name or ARN ("" is "default").
func (a *API) cluster(ref string) (*fleet.Cluster, error) {
	name := ref
	if name == "" {
		name = "default"
	}
	if strings.HasPrefix(ref, "arn:") {
		parts, err := a.resource("cluster", ref, kindCluster)
		if err != nil {
			return nil, err
		}
		name = parts[0]
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

// member resolves the ID of a cluster member (container instance, task)
// from its ID or ARN: the long ARN format names the cluster, and one of
// another cluster is a member this cluster does not have (ok false).
func (a *API) member(c *fleet.Cluster, field, ref, kind string) (id string, ok bool, err error) {
	parts, err := a.resource(field, ref, kind)
	if err != nil {
		return "", false, err
	}
	switch len(parts) {
	case 1:
		return parts[0], true, nil
	case 2:
		return parts[1], parts[0] == c.Name, nil
	}
	return "", false, invalidParameter("%s: %s is not a %s ARN.", field, ref, kind)
}

// failureARN is what failures[].arn says for a reference ECS could not
// find: the resource's ARN, as ECS reports it even when given an ID.
func failureARN(ref string, arnOf func(id string) string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return arnOf(ref)
}
