package memos

import (
	"net/netip"
	"slices"
	"sync"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Interface indexes of the host's own adapters.
const (
	hostEthernetIndex = 4
	hostNATIndex      = 7
	// apipaIndex is the credential adapter's index; a re-created one gets
	// the next free index, as Windows does.
	apipaIndex    = 9
	loopbackIndex = 1
	// firstContainerIndex is where container adapters start numbering.
	firstContainerIndex = 20
)

// HostOptions name the host; the zero value gives a healthy default host.
type HostOptions struct {
	// InstanceID defaults to "".
	InstanceID string
	// Primary is the host's own address and prefix; default 10.0.1.10/24.
	Primary netip.Prefix
	// NAT is the nat switch's host address and prefix (the containers'
	// gateway); default 172.24.16.1/20.
	NAT netip.Prefix
	// DADReads is how many reads of the adapters an address added by
	// AddProxyAddress stays Tentative (duplicate address detection), so
	// tests see the repair wait for Preferred.
	DADReads int
}

func (o HostOptions) withDefaults() HostOptions {
	if !o.Primary.IsValid() {
		o.Primary = netip.MustParsePrefix("10.0.1.10/24")
	}
	if !o.NAT.IsValid() {
		o.NAT = netip.MustParsePrefix("172.24.16.1/20")
	}
	return o
}

// Host is one simulated Windows container host.
type Host struct {
	mu         sync.Mutex
	instanceID string
	primary    netip.Prefix
	nat        netip.Prefix

	endpoint endpoint

	containers []*container
	// nextAdapter numbers "Hyper-V Virtual Ethernet Adapter #N".
	nextAdapter uint32
	// hostRoutes is the host's own route table.
	hostRoutes []hostos.Route
	// running: a host run holds the machine-wide lock.
	running bool
}

// endpoint is the credential endpoint as hostsetup.ps1 builds it.
type endpoint struct {
	// apipa is the APIPA vNIC's interface index, 0 when it does not exist.
	apipa   uint32
	apipaUp bool
	// state is the state of 169.254.170.2 on the APIPA adapter, "" when
	// the address is absent.
	state hostos.AddressState
	// tentativeReads left before an added address turns Preferred;
	// dadReads is what AddProxyAddress starts it at.
	tentativeReads, dadReads int
	// onNAT: 169.254.170.2 sits on vEthernet (nat) instead.
	onNAT bool
	rules []hostos.PortProxyRule
	// ghost: the portproxy rule was made while the address was not up, so
	// its listener never accepts until the rule is made again.
	ghost           bool
	ipHelperStopped bool
	excluded        []hostos.PortRange
	agentListening  bool
	firewallRules   int
	nextIndex       uint32
	// adapterUncreatable: making the APIPA adapter fails.
	adapterUncreatable bool
}

// NewHost returns a host as Initialize-ECSAgent -EnableTaskIAMRole leaves
// it: the APIPA adapter up with 169.254.170.2 preferred, a route to the nat
// subnet through it, the firewall rule, the portproxy rule, the agent
// listening, no excluded port range over 51678/51679, a default route.
func NewHost(opts HostOptions) *Host {
	opts = opts.withDefaults()
	h := &Host{
		instanceID:  opts.InstanceID,
		primary:     opts.Primary,
		nat:         opts.NAT,
		nextAdapter: 1,
		endpoint: endpoint{
			apipa: apipaIndex, apipaUp: true, state: hostos.AddressPreferred, dadReads: opts.DADReads,
			rules: []hostos.PortProxyRule{hostos.ProxyRule}, agentListening: true, firewallRules: 1,
			nextIndex: apipaIndex + 1,
		},
	}
	h.hostRoutes = []hostos.Route{{
		Destination:    netip.PrefixFrom(netip.IPv4Unspecified(), 0),
		NextHop:        firstHost(opts.Primary),
		InterfaceIndex: hostEthernetIndex,
		Metric:         15,
	}, h.natRouteVia(apipaIndex)}
	return h
}

// natRouteVia is hostsetup.ps1's route of the nat subnet through the
// APIPA adapter.
func (h *Host) natRouteVia(ifIndex uint32) hostos.Route {
	return hostos.Route{Destination: h.nat.Masked(), NextHop: netip.IPv4Unspecified(), InterfaceIndex: ifIndex, Metric: 256}
}

func (e *endpoint) agentPortsExcluded() bool {
	return slices.ContainsFunc(e.excluded, func(r hostos.PortRange) bool {
		return !r.Administered && (r.Contains(51678) || r.Contains(51679))
	})
}

// addressUp tells whether 169.254.170.2 is usable: preferred on an adapter
// that is up.
func (e *endpoint) addressUp() bool {
	return e.onNAT || (e.apipa != 0 && e.apipaUp && e.state == hostos.AddressPreferred)
}

// endpointListening tells whether something accepts on 169.254.170.2:80:
// portproxy's listener, which iphlpsvc runs for a rule on an address that
// is up.
func (e *endpoint) endpointListening() bool {
	rule := slices.ContainsFunc(e.rules, func(r hostos.PortProxyRule) bool { return r.Listen == hostos.ProxyListen })
	return rule && !e.ghost && !e.ipHelperStopped && e.addressUp()
}

// firstHost is the .1 of a prefix, the usual gateway.
func firstHost(p netip.Prefix) netip.Addr {
	return p.Masked().Addr().Next()
}
