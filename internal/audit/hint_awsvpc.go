package audit

import "github.com/ecswin/ecswin/internal/inventory"

// AWSVPCHint suggests awsvpc mode, where each task has its own ENI, so port 80 no
// longer collides and containers need no route.
func AWSVPCHint(cluster string, td *inventory.TaskDefinition) []Finding {
	if td.NetworkMode == inventory.NetworkModeAWSVPC {
		return nil
	}
	return []Finding{tdFinding(cluster, td, RuleHint, ReasonAWSVPCHint, SeverityHint, 0,
		"in awsvpc network mode this task gets its own ENI: port 80 stops colliding with the credential proxy and its containers need no route (at the cost of ENI density; enable ENI trunking)")}
}
