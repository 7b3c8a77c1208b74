package audit

// CapabilityRule (R1): a Windows instance without the task-iam-role
// capability cannot run tasks that have a task role.
func CapabilityRule(f HostFacts, _ Input) []Finding {
	if f.Host.TaskRoleEnabled {
		return nil
	}
	return []Finding{hostFinding(f.Host, RuleCapability, ReasonCapabilityMissing, SeverityError, 0,
		"the instance lacks the task-iam-role capability, so tasks with a task role cannot run on it: "+
			"launch it with Initialize-ECSAgent -EnableTaskIAMRole in its user data (ECS_ENABLE_TASK_IAM_ROLE=true) and replace it")}
}
