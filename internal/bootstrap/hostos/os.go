package hostos

import (
	"context"
	"net/netip"
	"time"
)

// Network is one network compartment: the host's, or a container's as seen
// from a process running inside it.
type Network interface {
	Adapters(ctx context.Context) ([]Adapter, error)
	Routes(ctx context.Context) ([]Route, error)
	// AddRoute adds r to the active (non-persistent) store.
	AddRoute(ctx context.Context, r Route) error
	// DeleteRoute removes the route matching r's destination, next hop and
	// interface from the active store.
	DeleteRoute(ctx context.Context, r Route) error
}

// Proxy is what the host exposes about the ECS credential proxy: read-only.
type Proxy interface {
	PortProxyRules(ctx context.Context) ([]PortProxyRule, error)
	ExcludedPortRanges(ctx context.Context) ([]PortRange, error)
	// ProbeTCP returns nil when something accepts a TCP connection on addr.
	ProbeTCP(ctx context.Context, addr netip.AddrPort) error
	// ServiceState is a Windows service's state as the service control
	// manager reports it, such as ServiceRunning.
	ServiceState(ctx context.Context, name string) (string, error)
	// InstanceID is the EC2 instance ID, or "" when unknown.
	InstanceID(ctx context.Context) (string, error)
}

// ProxyRepair makes the credential endpoint's parts one at a time, the way
// AWS's hostsetup.ps1 (amazon-ecs-agent, misc/windows-deploy) sets them up
// for the agent: a host vNIC named APIPA on the nat switch, 169.254.170.2/32
// on it, a route to the nat subnet through it, the firewall rule for 51679,
// and last the portproxy rule. None of them restarts the ECS agent.
type ProxyRepair interface {
	// AddPortProxyRule adds a netsh interface portproxy v4tov4 rule.
	AddPortProxyRule(ctx context.Context, r PortProxyRule) error
	// DeletePortProxyRule deletes the v4tov4 rule listening on listen.
	DeletePortProxyRule(ctx context.Context, listen netip.AddrPort) error
	// CreateCredentialAdapter adds the APIPA host vNIC on the nat switch,
	// routes natSubnet through it, and adds the inbound firewall rule for
	// the agent's port unless one with its name exists.
	CreateCredentialAdapter(ctx context.Context, natSubnet netip.Prefix) error
	// RemoveCredentialAdapter removes the host vNIC named APIPA, and never
	// any other adapter.
	RemoveCredentialAdapter(ctx context.Context) error
	// AddProxyAddress adds 169.254.170.2/32 to the interface.
	AddProxyAddress(ctx context.Context, ifIndex uint32) error
}

// Containers reaches the task containers through the container runtime.
type Containers interface {
	// ListContainers lists running containers that carry the ECS task-ARN
	// label.
	ListContainers(ctx context.Context) ([]Container, error)
	// CopyFile copies the host file src to dst inside the container.
	CopyFile(ctx context.Context, containerID, src, dst string) error
	// Exec runs argv inside the container and waits for it, or for ctx.
	Exec(ctx context.Context, containerID string, argv []string) (ExecResult, error)
	// NATSubnet is the subnet of the runtime's nat network, the one the
	// credential adapter routes back to.
	NATSubnet(ctx context.Context) (netip.Prefix, error)
}

// Runs keeps host runs apart and bounded.
type Runs interface {
	// AcquireRun takes the machine-wide run lock (ErrBusy when another run
	// holds it) and makes every child process this run starts end with
	// it. release gives both up; the process exiting does too.
	AcquireRun(ctx context.Context) (release func(), err error)
	// Wait lets d pass on the host, or less if ctx ends first. The real
	// host sleeps; the in-memory one returns at once, its state moving with
	// each read instead of with time.
	Wait(ctx context.Context, d time.Duration) error
}

// OS is everything route-bootstrap touches. Inside a container only the
// Network part works; see NetworkOnly.
type OS interface {
	Network
	Proxy
	ProxyRepair
	Containers
	Runs
}
