package ssmapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Ping statuses.
const (
	pingOnline         = "Online"
	pingConnectionLost = "ConnectionLost"
)

// defaultInfoPage is DescribeInstanceInformation's page size when
// MaxResults is absent: "The default value is 10 items."
const defaultInfoPage = 10

// Managed-instance facts the filters match (the simulator's hosts are
// EC2 instances with one agent version and no activations, associations
// or Quick Setup roles).
const (
	agentVersion = "3.3.1142.0"
	resourceEC2  = "EC2Instance"
	sourceEC2    = "AWS::EC2::Instance"
)

func (a *API) describeInstanceInformation(in *describeInstanceInformationInput) (any, error) {
	if len(in.InstanceInformationFilterList) > 0 && len(in.Filters) > 0 {
		return nil, wire.ClientErr(CodeInvalidInstanceInfoFilt, "You can use either InstanceInformationFilterList or Filters, not both.")
	}
	size := pageSize(in.MaxResults, defaultInfoPage)
	filters := in.Filters
	for _, f := range in.InstanceInformationFilterList {
		// The legacy list names the platform filter PlatformTypes.
		key := f.Key
		if key == "PlatformTypes" {
			key = "PlatformType"
		}
		filters = append(filters, filterJSON{Key: key, Values: f.ValueSet})
	}
	candidates, checks, err := a.infoFilters(filters)
	if err != nil {
		return nil, err
	}
	scope := "info|" + strconv.Itoa(len(candidates))
	for _, f := range filters {
		scope += "|" + f.Key + "=" + strconv.Quote(joinValues(f.Values))
	}
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	insts, next := wire.Page(pos, len(candidates), size, func(k int) (*fleet.Instance, bool) {
		inst := candidates[k]
		return inst, inst.Status != fleet.StatusInactive && all(checks, inst)
	})
	out := describeInstanceInformationOutput{InstanceInformationList: make([]instanceInformationJSON, 0, len(insts))}
	for _, inst := range insts {
		out.InstanceInformationList = append(out.InstanceInformationList, a.renderInfo(inst))
	}
	out.NextToken = pageToken(next, scope)
	return out, nil
}

// infoFilters compiles the documented filter keys: ActivationIds,
// AgentVersion, AssociationStatus, IamRole, InstanceIds, PingStatus,
// PlatformType, ResourceType, SourceIds, SourceTypes, tag-key and
// tag:<key>. Tag filters cannot be combined with the others.
func (a *API) infoFilters(filters []filterJSON) ([]*fleet.Instance, []func(*fleet.Instance) bool, error) {
	candidates := a.Fleet.ManagedInstances()
	var checks []func(*fleet.Instance) bool
	tags, others := 0, 0
	for _, f := range filters {
		vals := f.Values
		isTag := f.Key == "tag-key" || strings.HasPrefix(f.Key, "tag:")
		if isTag {
			tags++
		} else {
			others++
		}
		var check func(*fleet.Instance) bool
		switch {
		case f.Key == "InstanceIds":
			candidates = make([]*fleet.Instance, 0, len(vals))
			for _, id := range vals {
				inst := a.Fleet.ByEC2ID(id)
				if inst == nil {
					return nil, nil, wire.ClientErr(CodeInvalidInstanceID, "Instance %s is not a managed instance.", id)
				}
				candidates = append(candidates, inst)
			}
		case f.Key == "SourceIds":
			check = func(i *fleet.Instance) bool { return slices.Contains(vals, i.EC2ID) }
		case f.Key == "PingStatus":
			check = func(i *fleet.Instance) bool { return slices.Contains(vals, pingStatus(i)) }
		case f.Key == "PlatformType":
			check = func(i *fleet.Instance) bool { return slices.Contains(vals, platformType(i)) }
		case f.Key == "AgentVersion":
			check = func(*fleet.Instance) bool { return slices.Contains(vals, agentVersion) }
		case f.Key == "ResourceType":
			check = func(*fleet.Instance) bool { return slices.Contains(vals, resourceEC2) }
		case f.Key == "SourceTypes":
			check = func(*fleet.Instance) bool { return slices.Contains(vals, sourceEC2) }
		case f.Key == "ActivationIds", f.Key == "IamRole", f.Key == "AssociationStatus":
			check = func(*fleet.Instance) bool { return false }
		case f.Key == "tag-key":
			check = func(i *fleet.Instance) bool {
				return slices.ContainsFunc(vals, func(k string) bool { _, ok := i.Tag(k); return ok })
			}
		case isTag:
			key := strings.TrimPrefix(f.Key, "tag:")
			check = func(i *fleet.Instance) bool { v, ok := i.Tag(key); return ok && slices.Contains(vals, v) }
		default:
			return nil, nil, wire.ClientErr(CodeInvalidFilterKey, "Filter key %s is not valid.", f.Key)
		}
		if check != nil {
			checks = append(checks, check)
		}
	}
	if tags > 0 && others > 0 {
		return nil, nil, wire.ClientErr(CodeInvalidFilterKey, "Tag filters can't be combined with other filter types.")
	}
	return candidates, checks, nil
}

func joinValues(vs []string) string {
	out := ""
	for _, v := range vs {
		out += v + ","
	}
	return out
}

func all(checks []func(*fleet.Instance) bool, i *fleet.Instance) bool {
	for _, c := range checks {
		if !c(i) {
			return false
		}
	}
	return true
}

func pingStatus(i *fleet.Instance) string {
	if i.Host.SSMOnline && i.Status != fleet.StatusInactive {
		return pingOnline
	}
	return pingConnectionLost
}

var windowsPlatforms = map[string][2]string{
	"WINDOWS_SERVER_2016_FULL": {"Microsoft Windows Server 2016 Datacenter", "10.0.14393"},
	"WINDOWS_SERVER_2019_FULL": {"Microsoft Windows Server 2019 Datacenter", "10.0.17763"},
	"WINDOWS_SERVER_2019_CORE": {"Microsoft Windows Server 2019 Datacenter", "10.0.17763"},
	"WINDOWS_SERVER_2022_FULL": {"Microsoft Windows Server 2022 Datacenter", "10.0.20348"},
	"WINDOWS_SERVER_2022_CORE": {"Microsoft Windows Server 2022 Datacenter", "10.0.20348"},
	"WINDOWS_SERVER_2025_FULL": {"Microsoft Windows Server 2025 Datacenter", "10.0.26100"},
	"WINDOWS_SERVER_2025_CORE": {"Microsoft Windows Server 2025 Datacenter", "10.0.26100"},
}

func (a *API) renderInfo(i *fleet.Instance) instanceInformationJSON {
	name, version := "Amazon Linux", "2023"
	if p, ok := windowsPlatforms[i.OSFamily()]; ok {
		name, version = p[0], p[1]
	}
	out := instanceInformationJSON{
		InstanceID: i.EC2ID, PingStatus: pingStatus(i), AgentVersion: agentVersion, IsLatestVersion: true,
		PlatformType: platformType(i), PlatformName: name, PlatformVersion: version, ResourceType: resourceEC2,
		ComputerName: "EC2AMAZ-" + i.EC2ID[2:9], IPAddress: i.Address(),
	}
	if out.PingStatus == pingOnline {
		out.LastPingDateTime = wire.EpochOf(a.Now())
	} else {
		out.LastPingDateTime = wire.EpochOf(i.RegisteredAt)
	}
	return out
}
