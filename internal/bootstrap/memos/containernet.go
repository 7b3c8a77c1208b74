package memos

import (
	"context"
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// containerNet is a container's network compartment seen from inside.
type containerNet struct {
	h *Host
	c *container
}

var _ hostos.Network = containerNet{}

// Network returns the network compartment of a running container, as a
// process inside it sees it, for tests that arrange or inspect its routes.
func (h *Host) Network(containerID string) (hostos.Network, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.findLocked(containerID)
	if c == nil {
		return nil, false
	}
	return containerNet{h: h, c: c}, true
}

func (n containerNet) check() error {
	if n.c.gone {
		return hostos.ErrContainerNotRunning
	}
	return nil
}

func (n containerNet) Adapters(context.Context) ([]hostos.Adapter, error) {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	if err := n.check(); err != nil {
		return nil, err
	}
	loop := hostos.Adapter{Index: loopbackIndex, Alias: "Loopback Pseudo-Interface 1", Description: "Software Loopback Interface 1", Up: true}
	if n.c.awsvpc {
		return []hostos.Adapter{loop}, nil
	}
	return []hostos.Adapter{loop, {
		Index:       n.c.ifIndex(),
		Alias:       "Ethernet",
		Description: "Hyper-V Virtual Ethernet Adapter #" + strconv.FormatUint(uint64(n.c.adapter), 10),
		Up:          true,
		Addresses:   []hostos.Address{{Prefix: netip.PrefixFrom(n.c.addr, n.h.nat.Bits()), State: hostos.AddressPreferred}},
	}}, nil
}

func (n containerNet) Routes(context.Context) ([]hostos.Route, error) {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	if err := n.check(); err != nil {
		return nil, err
	}
	return slices.Clone(n.c.routes), nil
}

func (n containerNet) AddRoute(_ context.Context, r hostos.Route) error {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	n.c.routes = addRoute(n.c.routes, r)
	return nil
}

func (n containerNet) DeleteRoute(_ context.Context, r hostos.Route) error {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	var err error
	n.c.routes, err = deleteRoute(n.c.routes, r)
	return err
}
