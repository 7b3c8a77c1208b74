package memos

import (
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// ContainersLackingRoute counts NAT containers missing a credential route.
func (h *Host) ContainersLackingRoute() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.containers {
		if h.lacksRoute(c) {
			n++
		}
	}
	return n
}

// ProxyHealthy tells whether a container could reach the agent through
// 169.254.170.2:80 now.
func (h *Host) ProxyHealthy() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.proxyHealthyLocked()
}

func (h *Host) proxyHealthyLocked() bool {
	ruleOK := slices.Contains(h.rules, hostos.PortProxyRule{Listen: hostos.ProxyListen, Connect: hostos.AgentAddress})
	return h.proxyState == hostos.AddressPreferred && ruleOK && h.agentListening && !h.agentPortsExcluded()
}

// Containers lists the running containers' IDs in start order.
func (h *Host) Containers() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := make([]string, len(h.containers))
	for i, c := range h.containers {
		ids[i] = c.id
	}
	return ids
}
