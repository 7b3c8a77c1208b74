package memos

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

var _ hostos.OS = (*Host)(nil)

// Adapters lists the host's adapters: the primary ENI and vEthernet (nat),
// which carries the proxy address unless it was removed.
func (h *Host) Adapters(context.Context) ([]hostos.Adapter, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	nat := hostos.Adapter{
		Index: hostNATIndex, Alias: "vEthernet (nat)", Description: "Hyper-V Virtual Ethernet Adapter", Up: true,
		Addresses: []hostos.Address{{Prefix: h.nat, State: hostos.AddressPreferred}},
	}
	if h.proxyState != "" {
		nat.Addresses = append(nat.Addresses, hostos.Address{Prefix: netip.PrefixFrom(hostos.ProxyAddress, 32), State: h.proxyState})
	}
	return []hostos.Adapter{
		{Index: loopbackIndex, Alias: "Loopback Pseudo-Interface 1", Description: "Software Loopback Interface 1", Up: true},
		{
			Index: hostEthernetIndex, Alias: "Ethernet", Description: "Amazon Elastic Network Adapter", Up: true,
			Addresses: []hostos.Address{{Prefix: h.primary, State: hostos.AddressPreferred}},
		},
		nat,
	}, nil
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
	return slices.Clone(h.rules), nil
}

// ExcludedPortRanges lists the TCP excluded port ranges.
func (h *Host) ExcludedPortRanges(context.Context) ([]hostos.PortRange, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.excluded), nil
}

// errRefused is what a probe of a closed port returns.
var errRefused = fmt.Errorf("connection refused")

// ProbeTCP answers for the agent's port only.
func (h *Host) ProbeTCP(_ context.Context, addr netip.AddrPort) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if addr == hostos.AgentAddress && h.agentListening {
		return nil
	}
	return fmt.Errorf("dial %s: %w", addr, errRefused)
}

// InstanceID returns the configured instance ID.
func (h *Host) InstanceID(context.Context) (string, error) {
	return h.instanceID, nil
}

// RepairProxy deletes the proxy interface and initialises the agent again.
func (h *Host) RepairProxy(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.initialiseAgent()
	return nil
}

// ListContainers lists running containers as the Docker API would: NAT ones
// in mode "nat", awsvpc ones sharing their pause container's compartment.
func (h *Host) ListContainers(context.Context) ([]hostos.Container, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]hostos.Container, len(h.containers))
	for i, c := range h.containers {
		out[i] = hostos.Container{ID: c.id, TaskARN: c.taskARN, NetworkMode: NetworkNAT}
		if c.awsvpc {
			out[i].NetworkMode = "container:pause-" + c.id
		}
	}
	return out, nil
}
