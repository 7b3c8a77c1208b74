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
	loopbackIndex     = 1
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

	proxyState     hostos.AddressState // "" when the proxy address is absent
	rules          []hostos.PortProxyRule
	excluded       []hostos.PortRange
	agentListening bool

	containers []*container
	// nextAdapter numbers "Hyper-V Virtual Ethernet Adapter #N".
	nextAdapter uint32
	// binaryPath is where CopyFile last put the route-bootstrap binary.
	binaryPath string
	// hostRoutes is the host's own route table.
	hostRoutes []hostos.Route
}

// NewHost returns a host as Initialize-ECSAgent -EnableTaskIAMRole leaves
// it: proxy address preferred, portproxy rule in place, agent listening, no
// excluded port range over 51678/51679, a default route.
func NewHost(opts HostOptions) *Host {
	opts = opts.withDefaults()
	h := &Host{
		instanceID:  opts.InstanceID,
		primary:     opts.Primary,
		nat:         opts.NAT,
		nextAdapter: 1,
	}
	h.initialiseAgent()
	h.hostRoutes = []hostos.Route{{
		Destination:    netip.PrefixFrom(netip.IPv4Unspecified(), 0),
		NextHop:        firstHost(opts.Primary),
		InterfaceIndex: hostEthernetIndex,
		Metric:         15,
	}}
	return h
}

// initialiseAgent is Initialize-ECSAgent -EnableTaskIAMRole: it brings the
// proxy address up, writes the portproxy rule and starts the agent, which
// cannot bind when an excluded port range covers its ports.
func (h *Host) initialiseAgent() {
	h.proxyState = hostos.AddressPreferred
	h.rules = []hostos.PortProxyRule{{Listen: hostos.ProxyListen, Connect: hostos.AgentAddress}}
	h.agentListening = !h.agentPortsExcluded()
}

func (h *Host) agentPortsExcluded() bool {
	return slices.ContainsFunc(h.excluded, func(r hostos.PortRange) bool {
		return r.Contains(51678) || r.Contains(51679)
	})
}

// firstHost is the .1 of a prefix, the usual gateway.
func firstHost(p netip.Prefix) netip.Addr {
	return p.Masked().Addr().Next()
}
