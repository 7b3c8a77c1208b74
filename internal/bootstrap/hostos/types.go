// Package hostos is the narrow view of a Windows host (or of one container's
// network compartment) that route-bootstrap needs. The real implementation
// lives in winos (Windows only); memos is the in-memory one that tests and the
// fleet simulator use.
package hostos

import (
	"net/netip"
	"strings"
)

// The credential proxy's fixed addresses, as Initialize-ECSAgent
// -EnableTaskIAMRole sets them up (hostsetup.ps1 in amazon-ecs-agent's
// misc/windows-deploy: 169.254.170.2:80 forwarded to 127.0.0.1:51679).
var (
	ProxyAddress = netip.MustParseAddr("169.254.170.2")
	ProxyListen  = netip.AddrPortFrom(ProxyAddress, 80)
	AgentAddress = netip.MustParseAddrPort("127.0.0.1:51679")
	ProxyRule    = PortProxyRule{Listen: ProxyListen, Connect: AgentAddress}
)

// Names the credential endpoint's parts carry.
const (
	// CredentialAdapterName is the Hyper-V host vNIC hostsetup.ps1 adds on
	// the nat switch (Add-VMNetworkAdapter -VMNetworkAdapterName APIPA);
	// Windows shows it as "vEthernet (APIPA)".
	CredentialAdapterName = "APIPA"
	// FirewallRuleName is the inbound rule hostsetup.ps1 adds for 51679.
	FirewallRuleName = "Allow Inbound Port 51679"
	// IPHelperService runs netsh interface portproxy's listeners.
	IPHelperService = "iphlpsvc"
	// ServiceRunning is the state of a running service.
	ServiceRunning = "Running"
)

// IsCredentialAdapter tells whether a is the APIPA adapter, matched the way
// hostsetup.ps1 finds it (Get-NetAdapter -Name "*APIPA*").
func IsCredentialAdapter(a Adapter) bool {
	return strings.Contains(strings.ToUpper(a.Alias), CredentialAdapterName)
}

// Route is one IPv4 route in the active store.
type Route struct {
	Destination netip.Prefix
	// NextHop is the gateway; the unspecified address means on-link.
	NextHop netip.Addr
	// InterfaceIndex is the IP Helper interface index of the outgoing adapter.
	InterfaceIndex uint32
	// Metric is the effective metric (route metric plus interface metric),
	// which is what Windows compares when it picks among default routes.
	Metric uint32
}

// SameTarget tells whether two routes share destination, next hop and
// interface; the metric does not make a route stale.
func (r Route) SameTarget(o Route) bool {
	return r.Destination == o.Destination && r.NextHop == o.NextHop && r.InterfaceIndex == o.InterfaceIndex
}

// AddressState mirrors NL_DAD_STATE: only a preferred address receives
// traffic.
type AddressState string

// Address states as Windows reports them.
const (
	AddressPreferred  AddressState = "Preferred"
	AddressTentative  AddressState = "Tentative"
	AddressDuplicate  AddressState = "Duplicate"
	AddressDeprecated AddressState = "Deprecated"
	AddressInvalid    AddressState = "Invalid"
)

// Address is one unicast address of an adapter.
type Address struct {
	Prefix netip.Prefix
	State  AddressState
}

// Adapter is one network interface.
type Adapter struct {
	Index uint32
	// Alias is the friendly name, such as "vEthernet (nat)".
	Alias string
	// Description is what the pattern matches, such as
	// "Hyper-V Virtual Ethernet Adapter #2".
	Description string
	Up          bool
	Addresses   []Address
}

// PortProxyRule is one netsh interface portproxy v4tov4 rule.
type PortProxyRule struct {
	Listen  netip.AddrPort
	Connect netip.AddrPort
}

// PortRange is an inclusive TCP port range excluded from binding.
type PortRange struct {
	Start, End uint16
	// Administered ranges were added by an operator (netsh shows them with
	// "*"), typically to keep a port out of winnat's dynamic reservations;
	// the others are dynamic reservations.
	Administered bool
}

// Contains tells whether port lies in the range.
func (p PortRange) Contains(port uint16) bool { return p.Start <= port && port <= p.End }

// Container is one running container as the Docker Engine API lists it.
type Container struct {
	ID string
	// TaskARN comes from the ECS agent's com.amazonaws.ecs.task-arn label.
	TaskARN string
	// ECSContainerName comes from com.amazonaws.ecs.container-name; the
	// agent names an awsvpc task's pause container "~internal~ecs~pause".
	ECSContainerName string
	// NetworkMode is HostConfig.NetworkMode: "nat" or "default" for NAT
	// tasks, "container:<id>" for containers sharing an awsvpc pause
	// container's compartment.
	NetworkMode string
	// Isolation is HostConfig.Isolation: "process" or "hyperv" (the daemon
	// fills in its default at create time).
	Isolation string
}

// IsolationHyperV is the Isolation of a Hyper-V-isolated container.
const IsolationHyperV = "hyperv"

// ExecResult is what a process run inside a container left behind.
type ExecResult struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}
