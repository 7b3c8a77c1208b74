package memos

import (
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// ProxyFault is one way the credential proxy breaks in the field.
type ProxyFault int

// Proxy faults.
const (
	// ProxyAddressNotUp: 169.254.170.2 is present but not preferred.
	ProxyAddressNotUp ProxyFault = iota + 1
	// ProxyRuleMissing: the portproxy rule is gone.
	ProxyRuleMissing
	// ProxyListenerDown: nothing listens on 127.0.0.1:51679.
	ProxyListenerDown
	// ProxyExcludedPortRange: winnat reserved a range over 51678-51679,
	// so the agent cannot bind (and re-initialising does not help).
	ProxyExcludedPortRange
	// ProxyAddressMissing: no adapter carries 169.254.170.2.
	ProxyAddressMissing
)

// excludedRange is a typical winnat dynamic reservation over the agent's
// ports.
var excludedRange = hostos.PortRange{Start: 51661, End: 51760}

// BreakProxy injects a fault into the credential proxy.
func (h *Host) BreakProxy(f ProxyFault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch f {
	case ProxyAddressNotUp:
		h.proxyState = hostos.AddressInvalid
	case ProxyRuleMissing:
		h.rules = nil
	case ProxyListenerDown:
		h.agentListening = false
	case ProxyExcludedPortRange:
		h.excluded = append(h.excluded, excludedRange)
		h.agentListening = false
	case ProxyAddressMissing:
		h.proxyState = ""
	}
}

// Reboot restarts the host as AWS documents it: the proxy address is no
// longer usable until the proxy interface is deleted and the agent
// initialised again, and every running container restarts without its
// routes.
func (h *Host) Reboot() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.proxyState = hostos.AddressInvalid
	for _, c := range h.containers {
		if !c.awsvpc {
			c.routes = h.baseRoutes(c)
			c.copied = false
		}
	}
}

// ClearExcludedPortRanges removes all excluded ranges, as restarting winnat
// does; the agent binds at its next initialisation.
func (h *Host) ClearExcludedPortRanges() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.excluded = nil
}
