package audit

// ProxyRule (restart case): the host's credential proxy is down, which
// AWS documents after a Windows instance restarts.
func ProxyRule(f HostFacts, in Input) []Finding {
	r := f.Report
	if r == nil || r.ProxyHealthy {
		return nil
	}
	what := "set spec.remediation.mode=Enforce and spec.remediation.hostProxy=Enforce to let ecswin re-create it (this restarts the ECS agent), " +
		"or delete the proxy interface and run Initialize-ECSAgent -EnableTaskIAMRole on the host"
	if in.ProxyRepairOn {
		what = "ecswin re-creates it on its next run on this host; if this persists, check the excluded port ranges (netsh interface ipv4 show excludedportrange protocol=tcp)"
	}
	msg := "the credential proxy on 169.254.170.2 is down"
	if r.ProxyProblem != "" {
		msg += " (" + r.ProxyProblem + ")"
	}
	return []Finding{hostFinding(f.Host, RuleProxy, ReasonProxyBroken, SeverityError, 0, msg+", so no task on this host gets credentials: "+what)}
}
