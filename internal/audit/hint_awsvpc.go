package audit

import (
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/internal/inventory"
)

// AWSVPCHint suggests awsvpc mode for a task definition that suffers from
// NAT mode: one whose port 80 collides with the credential proxy, or whose
// tasks started without the route. In awsvpc each task has its own ENI,
// so port 80 stops colliding and the agent sets the route up itself.
func AWSVPCHint(cluster string, td *inventory.TaskDefinition, port80Conflict bool, withoutRoute int) []Finding {
	if !td.NeedsRoute() || (!port80Conflict && withoutRoute == 0) {
		return nil
	}
	var why []string
	if port80Conflict {
		why = append(why, "its host port 80 would stop colliding with the credential proxy")
	}
	if withoutRoute > 0 {
		why = append(why, fmt.Sprintf("its containers would need no route (%d task(s) started without it; until then, start them through route-bootstrap exec)", withoutRoute))
	}
	return []Finding{tdFinding(cluster, td, RuleHint, ReasonAWSVPCHint, SeverityHint, withoutRoute,
		"in awsvpc network mode "+strings.Join(why, ", and ")+"; it costs an ENI per task (enable ENI trunking)")}
}
