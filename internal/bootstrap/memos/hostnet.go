package memos

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

var _ hostos.OS = (*Host)(nil)

// Adapters lists the host's adapters: loopback, the primary ENI,
// vEthernet (nat) and, unless removed, vEthernet (APIPA) carrying the
// proxy address. Each read lets an address in duplicate address detection
// get one step closer to Preferred.
func (h *Host) Adapters(context.Context) ([]hostos.Adapter, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	proxy := netip.PrefixFrom(hostos.ProxyAddress, 32)
	nat := hostos.Adapter{
		Index: hostNATIndex, Alias: "vEthernet (nat)", Description: "Hyper-V Virtual Ethernet Adapter", Up: true,
		Addresses: []hostos.Address{{Prefix: h.nat, State: hostos.AddressPreferred}},
	}
	if e.onNAT {
		nat.Addresses = append(nat.Addresses, hostos.Address{Prefix: proxy, State: hostos.AddressPreferred})
	}
	out := []hostos.Adapter{
		{Index: loopbackIndex, Alias: "Loopback Pseudo-Interface 1", Description: "Software Loopback Interface 1", Up: true},
		{
			Index: hostEthernetIndex, Alias: "Ethernet", Description: "Amazon Elastic Network Adapter", Up: true,
			Addresses: []hostos.Address{{Prefix: h.primary, State: hostos.AddressPreferred}},
		},
		nat,
	}
	if e.apipa != 0 {
		a := hostos.Adapter{Index: e.apipa, Alias: "vEthernet (APIPA)", Description: "Hyper-V Virtual Ethernet Adapter #2", Up: e.apipaUp}
		if e.state != "" {
			a.Addresses = []hostos.Address{{Prefix: proxy, State: e.state}}
		}
		out = append(out, a)
	}
	if e.state == hostos.AddressTentative {
		if e.tentativeReads--; e.tentativeReads <= 0 {
			e.state = hostos.AddressPreferred
		}
	}
	return out, nil
}

// Routes lists the host's route table.
func (h *Host) Routes(context.Context) ([]hostos.Route, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.hostRoutes), nil
}

// AddRoute adds a host route.
func (h *Host) AddRoute(_ context.Context, r hostos.Route) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hostRoutes = addRoute(h.hostRoutes, r)
	return nil
}

// DeleteRoute deletes a host route.
func (h *Host) DeleteRoute(_ context.Context, r hostos.Route) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var err error
	h.hostRoutes, err = deleteRoute(h.hostRoutes, r)
	return err
}

func addRoute(rs []hostos.Route, r hostos.Route) []hostos.Route {
	if slices.ContainsFunc(rs, r.SameTarget) {
		return rs
	}
	return append(rs, r)
}

func deleteRoute(rs []hostos.Route, r hostos.Route) ([]hostos.Route, error) {
	i := slices.IndexFunc(rs, r.SameTarget)
	if i < 0 {
		return rs, fmt.Errorf("%s via %s on %d: %w", r.Destination, r.NextHop, r.InterfaceIndex, hostos.ErrRouteNotFound)
	}
	return slices.Delete(rs, i, i+1), nil
}

// PortProxyRules lists the v4tov4 rules.
func (h *Host) PortProxyRules(context.Context) ([]hostos.PortProxyRule, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.endpoint.rules), nil
}

// ExcludedPortRanges lists the TCP excluded port ranges.
func (h *Host) ExcludedPortRanges(context.Context) ([]hostos.PortRange, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.endpoint.excluded), nil
}

// errRefused is what a probe of a closed port returns.
var errRefused = fmt.Errorf("connection refused")

// ProbeTCP answers for the agent's port and the credential endpoint.
func (h *Host) ProbeTCP(_ context.Context, addr netip.AddrPort) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	if (addr == hostos.AgentAddress && e.agentListening) || (addr == hostos.ProxyListen && e.endpointListening()) {
		return nil
	}
	return fmt.Errorf("dial %s: %w", addr, errRefused)
}

// ServiceState knows iphlpsvc; every other service is running.
func (h *Host) ServiceState(_ context.Context, name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if name == hostos.IPHelperService && h.endpoint.ipHelperStopped {
		return "Stopped", nil
	}
	return hostos.ServiceRunning, nil
}

// InstanceID returns the configured instance ID.
func (h *Host) InstanceID(context.Context) (string, error) {
	return h.instanceID, nil
}

// NATSubnet is the nat network's subnet.
func (h *Host) NATSubnet(context.Context) (netip.Prefix, error) {
	return h.nat.Masked(), nil
}

// AcquireRun holds the host for one run at a time.
func (h *Host) AcquireRun(context.Context) (func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running {
		return nil, hostos.ErrBusy
	}
	h.running = true
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.running = false
	}, nil
}

// Wait returns at once: the in-memory host changes with reads, not time.
func (h *Host) Wait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// ListContainers lists running containers as the Docker API would: NAT ones
// in mode "nat", awsvpc ones sharing their pause container's compartment.
func (h *Host) ListContainers(context.Context) ([]hostos.Container, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]hostos.Container, len(h.containers))
	for i, c := range h.containers {
		out[i] = hostos.Container{ID: c.id, TaskARN: c.taskARN, NetworkMode: NetworkNAT, Isolation: "process"}
		if c.awsvpc {
			out[i].NetworkMode = "container:pause-" + c.id
		}
		if c.hyperv {
			out[i].Isolation = hostos.IsolationHyperV
		}
	}
	return out, nil
}
