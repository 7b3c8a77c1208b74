package memos

import (
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
	e := &h.endpoint
	for _, r := range e.rules {
		if r == hostos.ProxyRule {
			return e.endpointListening() && e.agentListening && !e.agentPortsExcluded()
		}
	}
	return false
}

// FirewallRules counts the inbound firewall rules for 51679, which a
// repair must add once at most.
func (h *Host) FirewallRules() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.endpoint.firewallRules
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

// BinariesLeft counts running containers that still hold a copy of
// route-bootstrap.
func (h *Host) BinariesLeft() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.containers {
		if c.binary != "" {
			n++
		}
	}
	return n
}
