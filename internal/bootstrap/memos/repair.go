package memos

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// The repair steps behave as their Windows commands do, including the one
// trap hostsetup.ps1 warns of: a portproxy rule made while 169.254.170.2 is
// not up becomes a ghost whose listener never accepts.

// AddPortProxyRule adds (or replaces) the v4tov4 rule for r.Listen.
func (h *Host) AddPortProxyRule(_ context.Context, r hostos.PortProxyRule) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	e.rules = slices.DeleteFunc(e.rules, func(x hostos.PortProxyRule) bool { return x.Listen == r.Listen })
	e.rules = append(e.rules, r)
	if r.Listen == hostos.ProxyListen {
		e.ghost = !e.addressUp()
	}
	return nil
}

// errNotFound is netsh's and PowerShell's answer for a missing object.
var errNotFound = errors.New("the system cannot find the file specified")

// DeletePortProxyRule deletes the v4tov4 rule listening on listen.
func (h *Host) DeletePortProxyRule(_ context.Context, listen netip.AddrPort) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	n := len(e.rules)
	e.rules = slices.DeleteFunc(e.rules, func(x hostos.PortProxyRule) bool { return x.Listen == listen })
	if len(e.rules) == n {
		return fmt.Errorf("deleting portproxy rule %s: %w", listen, errNotFound)
	}
	if listen == hostos.ProxyListen {
		e.ghost = false
	}
	return nil
}

// CreateCredentialAdapter adds the APIPA vNIC (up, without an address), a
// route of natSubnet through it and, unless present, the firewall rule.
// A second APIPA adapter is refused: Hyper-V would make one with the same
// name, which no repair should ever do.
func (h *Host) CreateCredentialAdapter(_ context.Context, natSubnet netip.Prefix) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	if e.apipa != 0 {
		return fmt.Errorf("a VM network adapter named %s already exists", hostos.CredentialAdapterName)
	}
	if e.adapterUncreatable {
		return errors.New("the term 'Add-VMNetworkAdapter' is not recognized as the name of a cmdlet")
	}
	if natSubnet != h.nat.Masked() {
		return fmt.Errorf("no nat network with subnet %s", natSubnet)
	}
	e.apipa, e.apipaUp, e.state = e.nextIndex, true, ""
	e.nextIndex++
	h.hostRoutes = addRoute(h.hostRoutes, h.natRouteVia(e.apipa))
	if e.firewallRules == 0 {
		e.firewallRules = 1
	}
	return nil
}

// RemoveCredentialAdapter removes the APIPA vNIC, its address and routes.
func (h *Host) RemoveCredentialAdapter(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.endpoint.apipa == 0 {
		return fmt.Errorf("no VM network adapter named %s: %w", hostos.CredentialAdapterName, errNotFound)
	}
	h.removeAPIPALocked()
	return nil
}

func (h *Host) removeAPIPALocked() {
	e := &h.endpoint
	index := e.apipa
	e.apipa, e.apipaUp, e.state = 0, false, ""
	h.hostRoutes = slices.DeleteFunc(h.hostRoutes, func(r hostos.Route) bool { return r.InterfaceIndex == index })
}

// AddProxyAddress adds 169.254.170.2/32 to the APIPA adapter; it starts
// Tentative for HostOptions.DADReads reads of the adapters.
func (h *Host) AddProxyAddress(_ context.Context, ifIndex uint32) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	switch {
	case e.apipa == 0 || ifIndex != e.apipa:
		return fmt.Errorf("no interface with index %d", ifIndex)
	case e.state != "":
		return fmt.Errorf("169.254.170.2 already exists on interface %d", ifIndex)
	}
	e.state, e.tentativeReads = hostos.AddressPreferred, e.dadReads
	if e.dadReads > 0 {
		e.state = hostos.AddressTentative
	}
	return nil
}
