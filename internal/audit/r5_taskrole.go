package audit

import (
	"fmt"

	"github.com/ecswin/ecswin/internal/inventory"
)

// taskRoleAdvice is what the operator does about any R5 finding.
const taskRoleAdvice = "set taskRoleArn to a role trusting ecs-tasks.amazonaws.com"

// lacksTaskRole (R5) is the rule itself: a task gets credentials only from
// taskRoleArn in its definition or overrides.taskRoleArn on the task.
func lacksTaskRole(td *inventory.TaskDefinition, overrideTaskRole bool) bool {
	return td.TaskRoleARN == "" && !overrideTaskRole
}

// TaskRoleRule (R5): Windows tasks running with no task role at all get
// no task credentials, whatever the host does. withoutRole counts the
// running tasks for which lacksTaskRole holds.
func TaskRoleRule(cluster string, td *inventory.TaskDefinition, running, withoutRole int) []Finding {
	if withoutRole == 0 {
		return nil
	}
	return []Finding{taskRoleFinding(cluster, td, withoutRole,
		fmt.Sprintf("%d of %d running task(s) have no task role (neither taskRoleArn in the task definition nor overrides.taskRoleArn): if they call AWS, %s",
			withoutRole, running, taskRoleAdvice))}
}

// TaskDefinitionRoleRule (R5) judges a task definition on its own, as
// `ecswinctl lint` reads it from a file: nothing runs yet, so the finding
// speaks of the definition rather than of running tasks.
func TaskDefinitionRoleRule(td *inventory.TaskDefinition) []Finding {
	if !lacksTaskRole(td, false) {
		return nil
	}
	return []Finding{taskRoleFinding("", td, 1,
		"the task definition has no taskRoleArn, so its tasks get no credentials unless each run-task passes overrides.taskRoleArn: "+
			"if its containers call AWS, "+taskRoleAdvice)}
}

func taskRoleFinding(cluster string, td *inventory.TaskDefinition, count int, msg string) Finding {
	return tdFinding(cluster, td, RuleTaskRole, ReasonTaskRoleMissing, SeverityWarning, count, msg)
}
