//go:build windows

package winos

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// defaultRouteMetric is the route metric New-NetRoute uses when none is
// given; Windows adds the interface metric on top.
const defaultRouteMetric = 256

// Network is the network compartment this process runs in.
type Network struct{}

var _ hostos.Network = Network{}

// Adapters lists IPv4 adapters with their unicast addresses and states.
func (Network) Adapters(context.Context) ([]hostos.Adapter, error) {
	first, err := adapterAddresses()
	if err != nil {
		return nil, fmt.Errorf("listing adapters: %w", err)
	}
	var out []hostos.Adapter
	for a := first; a != nil; a = a.Next {
		ad := hostos.Adapter{
			Index:       a.IfIndex,
			Alias:       windows.UTF16PtrToString(a.FriendlyName),
			Description: windows.UTF16PtrToString(a.Description),
			Up:          a.OperStatus == windows.IfOperStatusUp,
		}
		for u := a.FirstUnicastAddress; u != nil; u = u.Next {
			ip, ok := sockaddr4(u.Address)
			if !ok {
				continue
			}
			ad.Addresses = append(ad.Addresses, hostos.Address{
				Prefix: netip.PrefixFrom(ip, int(u.OnLinkPrefixLength)),
				State:  dadStates[u.DadState],
			})
		}
		out = append(out, ad)
	}
	return out, nil
}

func sockaddr4(sa windows.SocketAddress) (netip.Addr, bool) {
	if sa.Sockaddr == nil || sa.Sockaddr.Addr.Family != windows.AF_INET {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4((*windows.RawSockaddrInet4)(unsafe.Pointer(sa.Sockaddr)).Addr), true
}

// Routes lists the IPv4 routes of the active store. Metric is the route
// metric plus the interface metric, which Windows compares.
func (n Network) Routes(ctx context.Context) ([]hostos.Route, error) {
	rows, err := forwardTable()
	if err != nil {
		return nil, fmt.Errorf("listing routes: %w", err)
	}
	ifMetric := map[uint32]uint32{}
	if first, err := adapterAddresses(); err == nil {
		for a := first; a != nil; a = a.Next {
			ifMetric[a.IfIndex] = a.Ipv4Metric
		}
	}
	out := make([]hostos.Route, 0, len(rows))
	for i := range rows {
		r, ok := fromRow(&rows[i])
		if !ok {
			continue
		}
		r.Metric += ifMetric[r.InterfaceIndex]
		out = append(out, r)
	}
	return out, nil
}

func fromRow(row *windows.MibIpForwardRow2) (hostos.Route, bool) {
	dst, ok1 := inet4(&row.DestinationPrefix.Prefix)
	hop, ok2 := inet4(&row.NextHop)
	if !ok1 || !ok2 {
		return hostos.Route{}, false
	}
	return hostos.Route{
		Destination:    netip.PrefixFrom(dst, int(row.DestinationPrefix.PrefixLength)),
		NextHop:        hop,
		InterfaceIndex: row.InterfaceIndex,
		Metric:         row.Metric,
	}, true
}

// AddRoute adds r to the active store (CreateIpForwardEntry2 never writes
// the persistent store). A route that already exists is not an error. A
// non-zero r.Metric is taken as the route metric.
func (Network) AddRoute(_ context.Context, r hostos.Route) error {
	var row windows.MibIpForwardRow2
	if _, err := call(procInitializeIPForwardEntry, uintptr(unsafe.Pointer(&row))); err != nil {
		return fmt.Errorf("adding route %s: %w", r.Destination, err)
	}
	row.InterfaceIndex = r.InterfaceIndex
	setInet4(&row.DestinationPrefix.Prefix, r.Destination.Addr())
	row.DestinationPrefix.PrefixLength = uint8(r.Destination.Bits())
	setInet4(&row.NextHop, r.NextHop)
	row.Metric = defaultRouteMetric
	if r.Metric != 0 {
		row.Metric = r.Metric
	}
	row.Protocol = windows.MIB_IPPROTO_NETMGMT
	err := checked(procCreateIPForwardEntry2, uintptr(unsafe.Pointer(&row)))
	if errors.Is(err, windows.ERROR_OBJECT_ALREADY_EXISTS) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("adding route %s via %s: %w", r.Destination, r.NextHop, err)
	}
	return nil
}

// DeleteRoute removes the active route with r's destination, next hop and
// interface.
func (Network) DeleteRoute(_ context.Context, r hostos.Route) error {
	rows, err := forwardTable()
	if err != nil {
		return fmt.Errorf("deleting route %s: %w", r.Destination, err)
	}
	for i := range rows {
		got, ok := fromRow(&rows[i])
		if !ok || !got.SameTarget(r) {
			continue
		}
		if err := checked(procDeleteIPForwardEntry2, uintptr(unsafe.Pointer(&rows[i]))); err != nil {
			return fmt.Errorf("deleting route %s via %s: %w", r.Destination, r.NextHop, err)
		}
		return nil
	}
	return fmt.Errorf("deleting route %s via %s: %w", r.Destination, r.NextHop, hostos.ErrRouteNotFound)
}
