// Package hostcheck is route-bootstrap's host command: check (and on
// request repair) the ECS credential proxy, then check every NAT task
// container's routes by running ensure inside it.
package hostcheck

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// agentPorts are the ports the ECS agent binds (introspection and
// credentials); an excluded range over either keeps the agent down.
var agentPorts = []uint16{51678, 51679}

// ProxyCheck is the verdict on the credential proxy.
type ProxyCheck struct {
	Details report.Proxy
	Reasons []report.ProxyReason
	// Errors are failures of the check itself.
	Errors []error
}

// Healthy tells whether nothing is wrong.
func (p ProxyCheck) Healthy() bool { return len(p.Reasons) == 0 }

// CheckProxy inspects the adapter carrying 169.254.170.2 and its state, the
// portproxy rule, the agent's listener and the excluded port ranges.
func CheckProxy(ctx context.Context, os hostos.OS) ProxyCheck {
	var pc ProxyCheck
	fail := func(err error) {
		pc.Errors = append(pc.Errors, err)
		pc.addReason(report.ProxyCheckFailed)
	}
	if adapters, err := os.Adapters(ctx); err != nil {
		fail(fmt.Errorf("listing host adapters: %w", err))
	} else {
		pc.checkAddress(adapters)
	}
	if rules, err := os.PortProxyRules(ctx); err != nil {
		fail(fmt.Errorf("reading portproxy rules: %w", err))
	} else {
		pc.checkRule(rules)
	}
	if err := os.ProbeTCP(ctx, hostos.AgentAddress); err != nil {
		pc.addReason(report.ProxyAgentNotListening)
	} else {
		pc.Details.AgentListening = true
	}
	if ranges, err := os.ExcludedPortRanges(ctx); err != nil {
		fail(fmt.Errorf("reading excluded port ranges: %w", err))
	} else {
		pc.checkExcluded(ranges)
	}
	return pc
}

func (p *ProxyCheck) addReason(r report.ProxyReason) {
	if !slices.Contains(p.Reasons, r) {
		p.Reasons = append(p.Reasons, r)
	}
}

func (p *ProxyCheck) checkAddress(adapters []hostos.Adapter) {
	var carriers []hostos.Adapter
	var state hostos.AddressState
	for _, a := range adapters {
		for _, addr := range a.Addresses {
			if addr.Prefix.Addr() == hostos.ProxyAddress {
				carriers = append(carriers, a)
				state = addr.State
			}
		}
	}
	switch len(carriers) {
	case 0:
		p.addReason(report.ProxyAdapterMissing)
		return
	case 1:
	default:
		p.addReason(report.ProxySeveralAdapters)
	}
	p.Details.Adapter = carriers[0].Alias
	p.Details.AddressState = string(state)
	if state != hostos.AddressPreferred {
		p.addReason(report.ProxyAddressNotPreferred)
	}
}

func (p *ProxyCheck) checkRule(rules []hostos.PortProxyRule) {
	i := slices.IndexFunc(rules, func(r hostos.PortProxyRule) bool { return r.Listen == hostos.ProxyListen })
	if i < 0 {
		p.addReason(report.ProxyRuleMissing)
		return
	}
	p.Details.Rule = rules[i].Listen.String() + " -> " + rules[i].Connect.String()
	if rules[i].Connect != hostos.AgentAddress {
		p.addReason(report.ProxyRuleWrongTarget)
	}
}

func (p *ProxyCheck) checkExcluded(ranges []hostos.PortRange) {
	for _, r := range ranges {
		if slices.ContainsFunc(agentPorts, r.Contains) {
			p.Details.ExcludedRanges = append(p.Details.ExcludedRanges, fmt.Sprintf("%d-%d", r.Start, r.End))
			p.addReason(report.ProxyExcludedPortRange)
		}
	}
}
