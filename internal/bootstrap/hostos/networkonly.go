package hostos

import (
	"context"
	"net/netip"
)

// NetworkOnly turns a bare Network into an OS whose host-only operations
// fail with ErrNotHost: what ensure sees inside a container.
type NetworkOnly struct {
	Network
}

var _ OS = NetworkOnly{}

// PortProxyRules fails: containers have no portproxy.
func (NetworkOnly) PortProxyRules(context.Context) ([]PortProxyRule, error) { return nil, ErrNotHost }

// ExcludedPortRanges fails: not a host.
func (NetworkOnly) ExcludedPortRanges(context.Context) ([]PortRange, error) { return nil, ErrNotHost }

// ProbeTCP fails: not a host.
func (NetworkOnly) ProbeTCP(context.Context, netip.AddrPort) error { return ErrNotHost }

// InstanceID is unknown inside a container.
func (NetworkOnly) InstanceID(context.Context) (string, error) { return "", nil }

// RepairProxy fails: not a host.
func (NetworkOnly) RepairProxy(context.Context) error { return ErrNotHost }

// ListContainers fails: not a host.
func (NetworkOnly) ListContainers(context.Context) ([]Container, error) { return nil, ErrNotHost }

// CopyFile fails: not a host.
func (NetworkOnly) CopyFile(context.Context, string, string, string) error { return ErrNotHost }

// Exec fails: not a host.
func (NetworkOnly) Exec(context.Context, string, []string) (ExecResult, error) {
	return ExecResult{}, ErrNotHost
}
