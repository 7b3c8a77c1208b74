package report

// reasonInfo is what route-bootstrap knows about one proxy fault: whether
// its proxy repair fixes it, whether it stops every repair, and what an
// operator does otherwise.
type reasonInfo struct {
	repairable bool
	// blocks: the repair must not act at all (a state it could not read,
	// or 169.254.170.2 on adapters ecswin does not own).
	blocks bool
	advice string
}

// reasons: repairable are the causes that re-creating the credential
// endpoint fixes (the APIPA adapter, its address, the portproxy rule); the
// others are reported with what to do, because no repair of the endpoint
// touches them and retrying one would only disturb the host.
var reasons = map[ProxyReason]reasonInfo{
	ProxyAdapterMissing:      {repairable: true, advice: "no adapter carries 169.254.170.2: --repair-proxy (a policy's hostProxy: Enforce) makes the APIPA adapter on the nat switch again"},
	ProxyAdapterDown:         {repairable: true, advice: "the adapter carrying 169.254.170.2 is down: --repair-proxy (hostProxy: Enforce) makes the APIPA adapter again"},
	ProxyAddressMissing:      {repairable: true, advice: "the APIPA adapter lacks 169.254.170.2: --repair-proxy (hostProxy: Enforce) adds it"},
	ProxyAddressNotPreferred: {repairable: true, advice: "169.254.170.2 is not in state Preferred (as after a restart): --repair-proxy (hostProxy: Enforce) makes the APIPA adapter again"},
	ProxyRuleMissing:         {repairable: true, advice: "no portproxy rule for 169.254.170.2:80: --repair-proxy (hostProxy: Enforce) adds it"},
	ProxyRuleWrongTarget:     {repairable: true, advice: "the portproxy rule for 169.254.170.2:80 points elsewhere than 127.0.0.1:51679: --repair-proxy (hostProxy: Enforce) replaces it"},
	ProxyGhostRule:           {repairable: true, advice: "the portproxy rule and address look right but nothing accepts on 169.254.170.2:80 (a rule made before the address was up): --repair-proxy (hostProxy: Enforce) deletes and re-adds the rule"},
	ProxyAddressOnForeignAdapter: {blocks: true, advice: "169.254.170.2 sits on an adapter that is not the ECS agent's APIPA adapter; ecswin never removes it there: " +
		"remove the address from that adapter (Remove-NetIPAddress -IPAddress 169.254.170.2) and let --repair-proxy (hostProxy: Enforce) make the APIPA adapter"},
	ProxySeveralAdapters: {blocks: true, advice: "several adapters carry 169.254.170.2; ecswin does not guess which one is right: keep it on vEthernet (APIPA) only (Get-NetIPAddress -IPAddress 169.254.170.2)"},
	ProxyIPHelperStopped: {advice: "the IP Helper service (iphlpsvc), which runs portproxy, is not running: Set-Service iphlpsvc -StartupType Automatic; Start-Service iphlpsvc"},
	ProxyAgentNotListening: {advice: "the ECS agent does not accept on 127.0.0.1:51679: it may be restarting (look again in a minute) or stopped " +
		"(Get-Service AmazonECS; Start-Service AmazonECS; C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log says why)"},
	ProxyExcludedPortRange: {advice: "winnat reserved a dynamic port range over 51678/51679, so the agent cannot bind: keep the ports free with an administered exclusion " +
		"(netsh int ipv4 add excludedportrange protocol=tcp startport=51678 numberofports=2), which needs winnat's reservation gone first " +
		"(net stop winnat, which stops container NAT for a moment; netsh ...; net start winnat; Restart-Service AmazonECS)"},
	ProxyCheckFailed: {blocks: true, advice: "the check itself failed (see the report's problems): look at the host; nothing was repaired"},
}

// Repairable tells whether route-bootstrap's proxy repair fixes the fault.
func (r ProxyReason) Repairable() bool { return reasons[r].repairable }

// Blocks tells whether the fault stops every repair of the proxy. The
// other report-only faults (the agent, excluded ports, iphlpsvc) do not
// stop the endpoint's own parts being made, which they do not touch.
func (r ProxyReason) Blocks() bool { return reasons[r].blocks }

// ProxyNeedsOperator tells whether a proxy with these faults is one only
// an operator fixes: some fault is there, and none is one the repair may
// act on.
func ProxyNeedsOperator(rs []ProxyReason) bool {
	repairable, blocked := false, false
	for _, r := range rs {
		repairable = repairable || r.Repairable()
		blocked = blocked || r.Blocks()
	}
	return len(rs) > 0 && (!repairable || blocked)
}

// Advice says what fixes the fault, for people.
func (r ProxyReason) Advice() string {
	if info, ok := reasons[r]; ok {
		return info.advice
	}
	return "unknown fault " + string(r)
}

// Known tells whether the reason is one of this package's.
func (r ProxyReason) Known() bool {
	_, ok := reasons[r]
	return ok
}
