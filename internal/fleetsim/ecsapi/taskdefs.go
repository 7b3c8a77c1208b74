package ecsapi

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) describeTaskDefinition(in *describeTaskDefinitionInput) (any, error) {
	if _, err := a.resource("taskDefinition", in.TaskDefinition, kindTaskDefinition); err != nil {
		return nil, err
	}
	def := a.Fleet.TaskDefinition(in.TaskDefinition)
	if def == nil {
		return nil, wire.ClientErr(CodeClient, "Unable to describe task definition.")
	}
	return describeTaskDefinitionOutput{TaskDefinition: renderTaskDefinition(def), Tags: []struct{}{}}, nil
}

func renderTaskDefinition(d *fleet.TaskDefinition) taskDefinitionJSON {
	out := taskDefinitionJSON{
		TaskDefinitionArn:       d.ARN(),
		Family:                  d.Family,
		Revision:                d.Revision,
		Status:                  "ACTIVE",
		NetworkMode:             d.NetworkMode,
		TaskRoleArn:             d.TaskRoleArn,
		RequiresAttributes:      []attributeJSON{},
		Compatibilities:         []string{"EC2"},
		RequiresCompatibilities: []string{"EC2"},
		RegisteredAt:            wire.EpochOf(d.RegisteredAt),
		RegisteredBy:            "arn:aws:iam::123456789012:role/deployer",
	}
	if d.TaskRoleArn != "" {
		out.RequiresAttributes = append(out.RequiresAttributes, attributeJSON{Name: fleet.AttrTaskIAMRole})
	}
	if d.NetworkMode == "awsvpc" {
		out.RequiresAttributes = append(out.RequiresAttributes, attributeJSON{Name: fleet.AttrTaskENI})
	}
	for _, c := range d.Containers {
		cd := containerDefinitionJSON{Name: c.Name, Image: c.Image, CPU: 256, Memory: 1024, Essential: true, PortMappings: []portMappingJSON{}}
		if cd.Image == "" {
			cd.Image = "example/" + c.Name + ":latest"
		}
		for _, pm := range c.PortMappings {
			host := pm.HostPort
			if d.NetworkMode == "awsvpc" || d.NetworkMode == "host" {
				host = pm.ContainerPort
			}
			cd.PortMappings = append(cd.PortMappings, portMappingJSON{ContainerPort: pm.ContainerPort, HostPort: host, Protocol: protocol(pm.Protocol)})
		}
		out.ContainerDefinitions = append(out.ContainerDefinitions, cd)
	}
	return out
}

// listTaskDefinitions lists as the API reference says: "lexicographically
// by family name and in ascending numerical order by revision" (DESC
// reverses both), familyPrefix naming one whole family. The page token
// is the next definition's family:revision, so a revision registered
// between two pages neither repeats an entry nor hides one.
func (a *API) listTaskDefinitions(in *listTaskDefinitionsInput) (any, error) {
	size := pageSize(in.MaxResults, defaultPageSize)
	if in.Status == "INACTIVE" || in.Status == "DELETE_IN_PROGRESS" {
		return listTaskDefinitionsOutput{TaskDefinitionArns: []string{}}, nil // no simulated definition is deregistered
	}
	desc := in.Sort == "DESC"
	order := func(x, y defPos) int {
		c := cmp.Or(strings.Compare(x.family, y.family), cmp.Compare(x.revision, y.revision))
		if desc {
			return -c
		}
		return c
	}
	scope := "taskdefs|" + in.FamilyPrefix + "|" + in.Sort
	after, ok := parseDefToken(in.NextToken, scope)
	if !ok {
		return nil, invalidParameter("Invalid token %s", in.NextToken)
	}
	defs := make([]*fleet.TaskDefinition, 0, len(a.Fleet.TaskDefs))
	for _, d := range a.Fleet.TaskDefs {
		if in.FamilyPrefix == "" || d.Family == in.FamilyPrefix {
			defs = append(defs, d)
		}
	}
	slices.SortFunc(defs, func(x, y *fleet.TaskDefinition) int { return order(posOf(x), posOf(y)) })
	start := 0
	if after != nil {
		start, _ = slices.BinarySearchFunc(defs, *after, func(d *fleet.TaskDefinition, p defPos) int { return order(posOf(d), p) })
	}
	arns, next := wire.Page(start, len(defs), size, func(i int) (string, bool) { return defs[i].ARN(), true })
	out := listTaskDefinitionsOutput{TaskDefinitionArns: arns}
	if next >= 0 {
		out.NextToken = wire.KeyToken(scope, defs[next].Family+":"+strconv.Itoa(defs[next].Revision))
	}
	return out, nil
}

// defPos is a definition's place in the listing.
type defPos struct {
	family   string
	revision int
}

func posOf(d *fleet.TaskDefinition) defPos { return defPos{d.Family, d.Revision} }

// parseDefToken reads a family:revision token (nil for none).
func parseDefToken(token, scope string) (*defPos, bool) {
	key, ok := wire.ParseKeyToken(token, scope)
	if !ok || key == "" {
		return nil, ok
	}
	i := strings.LastIndexByte(key, ':')
	rev, err := strconv.Atoi(key[i+1:])
	if i < 0 || err != nil {
		return nil, false
	}
	return &defPos{family: key[:i], revision: rev}, true
}
