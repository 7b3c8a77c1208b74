package memos

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Network modes of ContainerSpec.
const (
	NetworkNAT    = "nat"
	NetworkAWSVPC = "awsvpc"
)

// defaultRouteMetric is a container's default route metric (route 256 plus
// interface 5000, what a Windows NAT container typically reports).
const defaultRouteMetric = 5256

// ContainerSpec describes a running task container.
type ContainerSpec struct {
	ID      string
	TaskARN string
	// NetworkMode is NetworkNAT (default) or NetworkAWSVPC.
	NetworkMode string
	// WithRoute: the container already has the credential routes.
	WithRoute bool
	// ExitsDuringExec: the container stops while something is executed in
	// it, as a task that exits mid-repair does.
	ExitsDuringExec bool
	// HangsOnExec: route-bootstrap started in it never returns (until the
	// exec's context ends).
	HangsOnExec bool
	// HyperV: the container is Hyper-V-isolated; the Docker Engine refuses
	// to copy into it while it runs.
	HyperV bool
	// Hostile: an unprivileged user in the container replaces whatever is
	// copied in, so the copy's owner becomes ContainerUser.
	Hostile bool
}

// container is kept small: the simulator holds tens of thousands.
type container struct {
	id      string
	taskARN string
	// binary is where route-bootstrap was copied, "" when it is not there.
	binary  string
	awsvpc  bool
	exits   bool
	hangs   bool
	hyperv  bool
	hostile bool
	gone    bool
	adapter uint32 // N of "#N"; its interface index is firstContainerIndex+N
	addr    netip.Addr
	routes  []hostos.Route
}

func (c *container) ifIndex() uint32 { return firstContainerIndex + c.adapter }

// AddContainer starts a container. A NAT container gets its own adapter,
// address, default route and, with WithRoute, the credential routes.
// Adding an ID twice replaces the first.
func (h *Host) AddContainer(spec ContainerSpec) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(spec.ID)
	c := &container{
		id:      spec.ID,
		taskARN: spec.TaskARN,
		awsvpc:  spec.NetworkMode == NetworkAWSVPC,
		exits:   spec.ExitsDuringExec,
		hangs:   spec.HangsOnExec,
		hyperv:  spec.HyperV,
		hostile: spec.Hostile,
	}
	if !c.awsvpc {
		c.adapter = h.nextAdapter
		h.nextAdapter++
		c.addr = h.containerAddress(c.adapter)
		c.routes = h.baseRoutes(c)
		if spec.WithRoute {
			c.routes = append(c.routes, h.guideRoutes(c)...)
		}
	}
	h.containers = append(h.containers, c)
}

// containerAddress spreads containers over the NAT prefix after the gateway.
func (h *Host) containerAddress(n uint32) netip.Addr {
	base := h.nat.Masked().Addr().As4()
	size := uint32(1) << (32 - h.nat.Bits())
	off := 2 + n%(size-3)
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	v += off
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func (h *Host) baseRoutes(c *container) []hostos.Route {
	rs := make([]hostos.Route, 1, 3)
	rs[0] = hostos.Route{
		Destination:    netip.PrefixFrom(netip.IPv4Unspecified(), 0),
		NextHop:        h.nat.Addr(),
		InterfaceIndex: c.ifIndex(),
		Metric:         defaultRouteMetric,
	}
	return rs
}

// guideDestinations are what AWS's container bootstrap script routes: the
// credential endpoint and instance metadata. A container started WithRoute
// has both, as one bootstrapped by that script does, so it lacks nothing
// whichever of them a policy asks for.
var guideDestinations = []netip.Prefix{
	netip.MustParsePrefix("169.254.170.2/32"),
	netip.MustParsePrefix("169.254.169.254/32"),
}

// guideRoutes are those routes in c.
func (h *Host) guideRoutes(c *container) []hostos.Route {
	return h.routesTo(c, guideDestinations)
}

func (h *Host) routesTo(c *container, dsts []netip.Prefix) []hostos.Route {
	rs := make([]hostos.Route, len(dsts))
	for i, dst := range dsts {
		rs[i] = hostos.Route{Destination: dst, NextHop: h.nat.Addr(), InterfaceIndex: c.ifIndex(), Metric: defaultRouteMetric}
	}
	return rs
}

// RemoveContainer stops and removes a container; unknown IDs are ignored.
func (h *Host) RemoveContainer(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(id)
}

func (h *Host) removeLocked(id string) {
	i := slices.IndexFunc(h.containers, func(c *container) bool { return c.id == id })
	if i < 0 {
		return
	}
	h.containers[i].gone = true
	h.containers = slices.Delete(h.containers, i, i+1)
}

// StripRoutes removes a container's credential routes, as a restart of an
// image without the bootstrap does.
func (h *Host) StripRoutes(containerID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c := h.findLocked(containerID); c != nil && !c.awsvpc {
		c.routes = h.baseRoutes(c)
	}
}

func (h *Host) findLocked(id string) *container {
	for _, c := range h.containers {
		if c.id == id {
			return c
		}
	}
	return nil
}

func (h *Host) lookup(id string) (*container, error) {
	c := h.findLocked(id)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", id, hostos.ErrContainerNotRunning)
	}
	return c, nil
}

// lacksRoute tells whether a NAT container misses the credential route
// (ensure's default destinations) via its gateway on its adapter.
func (h *Host) lacksRoute(c *container) bool {
	if c.awsvpc {
		return false
	}
	for _, want := range h.routesTo(c, ensure.DefaultDestinations) {
		if !slices.ContainsFunc(c.routes, want.SameTarget) {
			return true
		}
	}
	return false
}
