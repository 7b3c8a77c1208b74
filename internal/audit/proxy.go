package audit

// ProxyRule (restart case): the host's credential proxy is down, which
// AWS documents after a Windows instance restarts. A proxy down only for
// causes ecswin never repairs has a reason of its own and says what to do.
func ProxyRule(f HostFacts, in Input) []Finding {
	r := f.Report
	if r == nil || r.ProxyHealthy {
		return nil
	}
	msg := "the credential proxy on 169.254.170.2 is down"
	if r.ProxyProblem != "" {
		msg += " (" + r.ProxyProblem + ")"
	}
	msg += ", so no task on this host gets credentials: "
	if r.ProxyNeedsOperator {
		return []Finding{hostFinding(f.Host, RuleProxy, ReasonProxyNeedsOperator, SeverityError, 0,
			msg+"ecswin does not repair this; "+r.ProxyAdvice)}
	}
	what := "set spec.remediation.mode=Enforce and spec.remediation.hostProxy=Enforce to let ecswin make the endpoint's missing parts again " +
		"(it never restarts the ECS agent), or delete the proxy interface and run Initialize-ECSAgent -EnableTaskIAMRole on the host"
	if in.ProxyRepairSuspended {
		what = "ecswin's proxy repair is suspended for this policy because too many of its repairs did not take (the ProxyRepairHealthy condition says how to resume): look at the host (route-bootstrap host --check --format text)"
	}
	if in.ProxyRepairOn {
		what = "ecswin makes the endpoint's missing parts again on its next run on this host; if this persists, look at the host (route-bootstrap host --check --format text)"
	}
	return []Finding{hostFinding(f.Host, RuleProxy, ReasonProxyBroken, SeverityError, 0, msg+what)}
}
