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
// no task credentials, whatever the host does. A definition judged on its
// own (a file) has no tasks yet: the finding then speaks of the
// definition.
func TaskRoleRule(u TaskDefinitionUse, _ Input) []Finding {
	switch {
	case u.Standalone && lacksTaskRole(u.Def, false):
		return []Finding{tdFinding(u, RuleTaskRole, ReasonTaskRoleMissing, SeverityWarning, 1,
			"the task definition has no taskRoleArn, so its tasks get no credentials unless each run-task passes overrides.taskRoleArn: "+
				"if its containers call AWS, "+taskRoleAdvice)}
	case u.WithoutRole > 0:
		return []Finding{tdFinding(u, RuleTaskRole, ReasonTaskRoleMissing, SeverityWarning, u.WithoutRole,
			fmt.Sprintf("%d of %d running task(s) have no task role (neither taskRoleArn in the task definition nor overrides.taskRoleArn): if they call AWS, %s",
				u.WithoutRole, u.Running, taskRoleAdvice))}
	}
	return nil
}
