package ssmapi

import (
	"slices"
	"strconv"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Ping statuses.
const (
	pingOnline         = "Online"
	pingConnectionLost = "ConnectionLost"
)

func (a *API) describeInstanceInformation(in *describeInstanceInformationInput) (any, error) {
	if len(in.InstanceInformationFilterList) > 0 && len(in.Filters) > 0 {
		return nil, wire.ClientErr(CodeInvalidInstanceInfoFilt, "You can use either InstanceInformationFilterList or Filters, not both.")
	}
	size, err := pageSize(in.MaxResults, "maxResults", 5, 50, 50)
	if err != nil {
		return nil, err
	}
	filters := in.Filters
	for _, f := range in.InstanceInformationFilterList {
		filters = append(filters, filterJSON{Key: f.Key, Values: f.ValueSet})
	}
	candidates := a.Fleet.ManagedInstances()
	var checks []func(*fleet.Instance) bool
	for _, f := range filters {
		if len(f.Values) == 0 {
			return nil, wire.ClientErr(CodeInvalidInstanceInfoFilt, "Filter %s needs at least one value.", f.Key)
		}
		vals := f.Values
		switch f.Key {
		case "InstanceIds":
			candidates = make([]*fleet.Instance, 0, len(vals))
			for _, id := range vals {
				inst := a.Fleet.ByEC2ID(id)
				if inst == nil {
					return nil, wire.ClientErr(CodeInvalidInstanceID, "Instance %s is not a managed instance.", id)
				}
				candidates = append(candidates, inst)
			}
		case "PingStatus":
			checks = append(checks, func(i *fleet.Instance) bool { return slices.Contains(vals, pingStatus(i)) })
		case "PlatformTypes":
			checks = append(checks, func(i *fleet.Instance) bool { return slices.Contains(vals, platformType(i)) })
		case "ResourceType":
			checks = append(checks, func(*fleet.Instance) bool { return slices.Contains(vals, "EC2Instance") })
		default:
			return nil, wire.ClientErr(CodeInvalidFilterKey, "Filter key %s is not supported.", f.Key)
		}
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
		InstanceID: i.EC2ID, PingStatus: pingStatus(i), AgentVersion: "3.3.1142.0", IsLatestVersion: true,
		PlatformType: platformType(i), PlatformName: name, PlatformVersion: version, ResourceType: "EC2Instance",
		ComputerName: "EC2AMAZ-" + i.EC2ID[2:9], IPAddress: i.Address(),
	}
	if out.PingStatus == pingOnline {
		out.LastPingDateTime = wire.EpochOf(a.Now())
	} else {
		out.LastPingDateTime = wire.EpochOf(i.RegisteredAt)
	}
	return out
}
