package hostos

import (
	"context"
	"net/netip"
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

// Proxy is what the host exposes about the ECS credential proxy.
type Proxy interface {
	PortProxyRules(ctx context.Context) ([]PortProxyRule, error)
	ExcludedPortRanges(ctx context.Context) ([]PortRange, error)
	// ProbeTCP returns nil when something accepts a TCP connection on addr.
	ProbeTCP(ctx context.Context, addr netip.AddrPort) error
	// InstanceID is the EC2 instance ID, or "" when unknown.
	InstanceID(ctx context.Context) (string, error)
	// RepairProxy does what AWS documents after a restart: delete the proxy
	// interface and initialise the agent again. It restarts the agent.
	RepairProxy(ctx context.Context) error
}

// Containers reaches the task containers through the container runtime.
type Containers interface {
	// ListContainers lists running containers that carry the ECS task-ARN
	// label.
	ListContainers(ctx context.Context) ([]Container, error)
	// CopyFile copies the host file src to dst inside the container.
	CopyFile(ctx context.Context, containerID, src, dst string) error
	// Exec runs argv inside the container and waits for it.
	Exec(ctx context.Context, containerID string, argv []string) (ExecResult, error)
}

// OS is everything route-bootstrap touches. Inside a container only the
// Network part works; see NetworkOnly.
type OS interface {
	Network
	Proxy
	Containers
}
