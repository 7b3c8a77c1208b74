package hostos

import (
	"context"
	"net/netip"
	"time"
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

// ServiceState fails: not a host.
func (NetworkOnly) ServiceState(context.Context, string) (string, error) { return "", ErrNotHost }

// InstanceID is unknown inside a container.
func (NetworkOnly) InstanceID(context.Context) (string, error) { return "", nil }

// AddPortProxyRule fails: not a host.
func (NetworkOnly) AddPortProxyRule(context.Context, PortProxyRule) error { return ErrNotHost }

// DeletePortProxyRule fails: not a host.
func (NetworkOnly) DeletePortProxyRule(context.Context, netip.AddrPort) error { return ErrNotHost }

// CreateCredentialAdapter fails: not a host.
func (NetworkOnly) CreateCredentialAdapter(context.Context, netip.Prefix) error { return ErrNotHost }

// RemoveCredentialAdapter fails: not a host.
func (NetworkOnly) RemoveCredentialAdapter(context.Context) error { return ErrNotHost }

// AddProxyAddress fails: not a host.
func (NetworkOnly) AddProxyAddress(context.Context, uint32) error { return ErrNotHost }

// AcquireRun fails: host runs happen on hosts.
func (NetworkOnly) AcquireRun(context.Context) (func(), error) { return nil, ErrNotHost }

// Wait waits on the wall clock.
func (NetworkOnly) Wait(ctx context.Context, d time.Duration) error { return SleepContext(ctx, d) }

// NATSubnet fails: not a host.
func (NetworkOnly) NATSubnet(context.Context) (netip.Prefix, error) {
	return netip.Prefix{}, ErrNotHost
}

// ListContainers fails: not a host.
func (NetworkOnly) ListContainers(context.Context) ([]Container, error) { return nil, ErrNotHost }

// CopyFile fails: not a host.
func (NetworkOnly) CopyFile(context.Context, string, string, string) error { return ErrNotHost }

// Exec fails: not a host.
func (NetworkOnly) Exec(context.Context, string, []string) (ExecResult, error) {
	return ExecResult{}, ErrNotHost
}
