package audit

// AgentRule flags a disconnected ECS agent: then ECS places no task on the
// host and what it says about the host's tasks may be stale.
func AgentRule(f HostFacts, _ Input) []Finding {
	if f.Host.AgentConnected {
		return nil
	}
	return []Finding{hostFinding(f.Host, RuleReport, ReasonAgentDisconnected, SeverityWarning, 0,
		"the ECS agent is disconnected, so no task is placed here and ECS's view of its tasks may be stale: restart the AmazonECS service on the host or replace the instance")}
}
