package audit

import (
	"fmt"

	"github.com/ecswin/ecswin/internal/inventory"
)

// TaskRoleRule (R5): Windows tasks running with no task role at all get
// no task credentials, whatever the host does.
func TaskRoleRule(cluster string, td *inventory.TaskDefinition, running, withoutRole int) []Finding {
	if withoutRole == 0 {
		return nil
	}
	return []Finding{tdFinding(cluster, td, RuleTaskRole, ReasonTaskRoleMissing, SeverityWarning, withoutRole,
		fmt.Sprintf("%d of %d running task(s) have no task role (neither taskRoleArn in the task definition nor overrides.taskRoleArn): "+
			"if they call AWS, set taskRoleArn to a role trusting ecs-tasks.amazonaws.com", withoutRole, running))}
}
