package audit

import (
	"fmt"
	"strings"
)

// AWSVPCHint suggests awsvpc mode for a task definition that suffers from
// NAT mode: one whose port 80 collides with the credential proxy, or whose
// tasks started without the route. In awsvpc each task has its own ENI,
// so port 80 stops colliding and the agent sets the route up itself.
func AWSVPCHint(u TaskDefinitionUse, in Input) []Finding {
	conflict := port80Conflicts(u, in)
	if !u.Def.NeedsRoute() || (!conflict && u.WithoutRoute == 0) {
		return nil
	}
	var why []string
	if conflict {
		why = append(why, "its host port 80 would stop colliding with the credential proxy")
	}
	if u.WithoutRoute > 0 {
		why = append(why, fmt.Sprintf("its containers would need no route (%d task(s) started without it; until then, start them through route-bootstrap exec)", u.WithoutRoute))
	}
	return []Finding{tdFinding(u, RuleHint, ReasonAWSVPCHint, SeverityHint, u.WithoutRoute,
		"in awsvpc network mode "+strings.Join(why, ", and ")+"; it costs an ENI per task (enable ENI trunking)")}
}
