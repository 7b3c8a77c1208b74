package memos

import (
	"net/netip"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// ProxyFault is one way the credential proxy breaks in the field.
type ProxyFault int

// Proxy faults. The first five keep their values: the fleet simulator's
// scenarios name them.
const (
	// ProxyAddressNotUp: 169.254.170.2 is present but not preferred, as
	// after a restart.
	ProxyAddressNotUp ProxyFault = iota + 1
	// ProxyRuleMissing: the portproxy rule is gone.
	ProxyRuleMissing
	// ProxyListenerDown: the agent does not listen on 127.0.0.1:51679
	// (stopped, or restarting); no endpoint repair changes that.
	ProxyListenerDown
	// ProxyExcludedPortRange: winnat reserved a dynamic range over
	// 51678-51679, so the agent cannot bind (and re-initialising does not
	// help).
	ProxyExcludedPortRange
	// ProxyAddressMissing: the APIPA adapter lacks 169.254.170.2.
	ProxyAddressMissing
	// ProxyAdapterMissing: there is no APIPA adapter at all.
	ProxyAdapterMissing
	// ProxyAdapterDown: the APIPA adapter is down.
	ProxyAdapterDown
	// ProxyRuleWrongTarget: the portproxy rule forwards elsewhere.
	ProxyRuleWrongTarget
	// ProxyGhostRule: the rule was made before the address was up and its
	// listener never came (hostsetup.ps1 warns of it).
	ProxyGhostRule
	// ProxyIPHelperStopped: the iphlpsvc service is stopped.
	ProxyIPHelperStopped
	// ProxyAddressOnNAT: 169.254.170.2 sits on vEthernet (nat) and there is
	// no APIPA adapter; ecswin must never remove vEthernet (nat).
	ProxyAddressOnNAT
	// ProxyProtectedRange: an operator's administered exclusion over the
	// agent's ports; not a fault (the proxy stays healthy).
	ProxyProtectedRange
	// ProxyAdapterUncreatable: there is no APIPA adapter, and making one
	// fails (as when the Hyper-V PowerShell module is missing), so every
	// repair leaves the proxy down: a repair that never takes.
	ProxyAdapterUncreatable
)

// excludedRange is a typical winnat dynamic reservation over the agent's
// ports.
var excludedRange = hostos.PortRange{Start: 51661, End: 51760}

// BreakProxy injects a fault into the credential proxy.
func (h *Host) BreakProxy(f ProxyFault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := &h.endpoint
	switch f {
	case ProxyAddressNotUp:
		e.state = hostos.AddressInvalid
	case ProxyRuleMissing:
		e.rules = nil
	case ProxyListenerDown:
		e.agentListening = false
	case ProxyExcludedPortRange:
		e.excluded = append(e.excluded, excludedRange)
		e.agentListening = false
	case ProxyAddressMissing:
		e.state = ""
	case ProxyAdapterMissing:
		h.removeAPIPALocked()
	case ProxyAdapterDown:
		e.apipaUp = false
	case ProxyRuleWrongTarget:
		e.rules = []hostos.PortProxyRule{{Listen: hostos.ProxyListen, Connect: netip.MustParseAddrPort("127.0.0.1:51678")}}
	case ProxyGhostRule:
		e.ghost = true
	case ProxyIPHelperStopped:
		e.ipHelperStopped = true
	case ProxyAddressOnNAT:
		h.removeAPIPALocked()
		e.onNAT = true
	case ProxyAdapterUncreatable:
		h.removeAPIPALocked()
		e.adapterUncreatable = true
	case ProxyProtectedRange:
		e.excluded = append(e.excluded, hostos.PortRange{Start: 51678, End: 51679, Administered: true})
	}
}

// Reboot restarts the host as AWS documents it: the proxy address is no
// longer usable until the proxy interface is deleted and made again, and
// every running container restarts without its routes.
func (h *Host) Reboot() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.endpoint.state != "" {
		h.endpoint.state = hostos.AddressInvalid
	}
	for _, c := range h.containers {
		if !c.awsvpc {
			c.routes = h.baseRoutes(c)
			c.binary = ""
		}
	}
}

// ClearExcludedPortRanges removes all excluded ranges, as restarting winnat
// does, and the agent binds again.
func (h *Host) ClearExcludedPortRanges() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endpoint.excluded = nil
	h.endpoint.agentListening = true
}

// StartAgent starts the ECS agent again, as an operator would.
func (h *Host) StartAgent() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endpoint.agentListening = !h.endpoint.agentPortsExcluded()
}
