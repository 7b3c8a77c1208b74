// Package hostcheck is route-bootstrap's host command: check (and on
// request repair) the ECS credential proxy, then check every NAT task
// container's routes by running ensure inside it.
package hostcheck

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// agentPorts are the ports the ECS agent binds (introspection and
// credentials); a dynamic excluded range over either keeps the agent down.
var agentPorts = []uint16{51678, 51679}

// Waits of the check. The agent is probed a few times because it does not
// listen for a few seconds while it restarts; an address in duplicate
// address detection (Tentative) is given the time hostsetup.ps1 gives it
// (ten tries a second apart) before it counts as down.
const (
	agentProbes     = 3
	agentProbeDelay = 2 * time.Second
	dadTries        = 10
	dadDelay        = time.Second
)

// ProxyCheck is the verdict on the credential proxy.
type ProxyCheck struct {
	Details report.Proxy
	Reasons []report.ProxyReason
	// Errors are failures of the check itself.
	Errors []error

	// apipa is the APIPA adapter, nil if there is none.
	apipa *hostos.Adapter
	// rule is the portproxy rule listening on 169.254.170.2:80, if any.
	rule *hostos.PortProxyRule
	// foreign: 169.254.170.2 sits on one adapter that is not APIPA. That
	// is only a fault if the endpoint does not work.
	foreign bool
}

// Healthy tells whether nothing is wrong.
func (p ProxyCheck) Healthy() bool { return len(p.Reasons) == 0 }

// Repairable tells whether some reason is one the endpoint repair fixes.
func (p ProxyCheck) Repairable() bool {
	return slices.ContainsFunc(p.Reasons, report.ProxyReason.Repairable)
}

// Blocked tells whether the check saw something the repair must never act
// on (report.ProxyReason.Blocks).
func (p ProxyCheck) Blocked() bool { return slices.ContainsFunc(p.Reasons, report.ProxyReason.Blocks) }

// CheckProxy inspects the credential endpoint the way tasks use it: the
// APIPA adapter and the state of 169.254.170.2 on it, the portproxy rule,
// the iphlpsvc service that runs the rule's listener, a TCP probe of
// 169.254.170.2:80 itself, the agent's listener on 127.0.0.1:51679, and the
// excluded port ranges. Each fault has its own reason.
func CheckProxy(ctx context.Context, os hostos.OS) ProxyCheck {
	var pc ProxyCheck
	fail := func(err error) {
		pc.Errors = append(pc.Errors, err)
		pc.addReason(report.ProxyCheckFailed)
	}
	if adapters, err := settledAdapters(ctx, os); err != nil {
		fail(fmt.Errorf("listing host adapters: %w", err))
	} else {
		pc.checkAddress(adapters)
	}
	if rules, err := os.PortProxyRules(ctx); err != nil {
		fail(fmt.Errorf("reading portproxy rules: %w", err))
	} else {
		pc.checkRule(rules)
	}
	if state, err := os.ServiceState(ctx, hostos.IPHelperService); err != nil {
		fail(fmt.Errorf("querying the %s service: %w", hostos.IPHelperService, err))
	} else {
		pc.Details.IPHelper = state
		if state != hostos.ServiceRunning {
			pc.addReason(report.ProxyIPHelperStopped)
		}
	}
	pc.Details.EndpointListening = os.ProbeTCP(ctx, hostos.ProxyListen) == nil
	if pc.foreign && !pc.Details.EndpointListening {
		pc.addReason(report.ProxyAddressOnForeignAdapter)
	}
	if !pc.Details.EndpointListening && len(pc.Reasons) == 0 {
		// Address up, rule right, iphlpsvc running, and still nothing
		// accepts: the rule's listener is a ghost (hostsetup.ps1 warns that
		// a rule made before the address is up leaves port 80 held by a
		// listener that never works).
		pc.addReason(report.ProxyGhostRule)
	}
	pc.Details.AgentListening = probeAgent(ctx, os)
	if !pc.Details.AgentListening {
		pc.addReason(report.ProxyAgentNotListening)
	}
	if ranges, err := os.ExcludedPortRanges(ctx); err != nil {
		fail(fmt.Errorf("reading excluded port ranges: %w", err))
	} else {
		pc.checkExcluded(ranges)
	}
	return pc
}

// settledAdapters reads the adapters, waiting while 169.254.170.2 is still
// Tentative; when the wait is cut short the last read stands.
func settledAdapters(ctx context.Context, os hostos.OS) ([]hostos.Adapter, error) {
	adapters, err := os.Adapters(ctx)
	for try := 1; err == nil && try < dadTries && proxyAddressState(adapters) == hostos.AddressTentative; try++ {
		if os.Wait(ctx, dadDelay) != nil {
			break
		}
		adapters, err = os.Adapters(ctx)
	}
	return adapters, err
}

func proxyAddressState(adapters []hostos.Adapter) hostos.AddressState {
	for _, a := range adapters {
		for _, addr := range a.Addresses {
			if addr.Prefix.Addr() == hostos.ProxyAddress {
				return addr.State
			}
		}
	}
	return ""
}

func probeAgent(ctx context.Context, os hostos.OS) bool {
	for try := 1; ; try++ {
		if os.ProbeTCP(ctx, hostos.AgentAddress) == nil {
			return true
		}
		if try >= agentProbes || os.Wait(ctx, agentProbeDelay) != nil {
			return false
		}
	}
}

func (p *ProxyCheck) addReason(r report.ProxyReason) {
	if !slices.Contains(p.Reasons, r) {
		p.Reasons = append(p.Reasons, r)
	}
}

func (p *ProxyCheck) checkAddress(adapters []hostos.Adapter) {
	var carriers []hostos.Adapter
	var state hostos.AddressState
	for i, a := range adapters {
		if p.apipa == nil && hostos.IsCredentialAdapter(a) {
			p.apipa = &adapters[i]
		}
		for _, addr := range a.Addresses {
			if addr.Prefix.Addr() == hostos.ProxyAddress {
				carriers = append(carriers, a)
				state = addr.State
			}
		}
	}
	if p.apipa != nil {
		p.Details.Adapter = p.apipa.Alias
	}
	switch {
	case len(carriers) > 1:
		p.addReason(report.ProxySeveralAdapters)
		return
	case len(carriers) == 1 && !hostos.IsCredentialAdapter(carriers[0]):
		p.Details.Adapter, p.Details.AddressState = carriers[0].Alias, string(state)
		p.foreign = true
		return
	case p.apipa == nil:
		p.addReason(report.ProxyAdapterMissing)
		return
	case !p.apipa.Up:
		p.addReason(report.ProxyAdapterDown)
		return
	case len(carriers) == 0:
		p.addReason(report.ProxyAddressMissing)
		return
	}
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
	p.rule = &rules[i]
	p.Details.Rule = rules[i].Listen.String() + " -> " + rules[i].Connect.String()
	if rules[i].Connect != hostos.AgentAddress {
		p.addReason(report.ProxyRuleWrongTarget)
	}
}

// checkExcluded reports dynamic reservations over the agent's ports; an
// administered exclusion is an operator keeping the ports free, listed but
// not a fault.
func (p *ProxyCheck) checkExcluded(ranges []hostos.PortRange) {
	for _, r := range ranges {
		if !slices.ContainsFunc(agentPorts, r.Contains) {
			continue
		}
		text := fmt.Sprintf("%d-%d", r.Start, r.End)
		if r.Administered {
			p.Details.ProtectedRanges = append(p.Details.ProtectedRanges, text)
			continue
		}
		p.Details.ExcludedRanges = append(p.Details.ExcludedRanges, text)
		p.addReason(report.ProxyExcludedPortRange)
	}
}
