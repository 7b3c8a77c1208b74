package inventory

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// listTasks pages through the cluster's running tasks (ECS cannot filter
// them by OS, and listing per instance would cost a call per host). Tasks
// an earlier pass saw come from the cache; the others are described in
// batches of 100 while the listing goes on.
func (cr *clusterRun) listTasks(ctx context.Context) {
	var described sync.WaitGroup
	defer described.Wait()
	describe := func(arns []string) {
		described.Add(1)
		cr.work.Go(func() {
			defer described.Done()
			cr.describeTasks(ctx, arns)
		})
	}
	pages := ecs.NewListTasksPaginator(cr.c.ECS, &ecs.ListTasksInput{
		Cluster:       aws.String(cr.cl.ARN),
		DesiredStatus: ecstypes.DesiredStatusRunning,
		MaxResults:    aws.Int32(ECSPageSize),
	})
	var unknown []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			cr.failCall(ReasonTasksUnreadable, "listing running tasks failed, so the cluster's tasks may be incomplete", err, 1)
			break
		}
		known := make([]*Task, 0, len(page.TaskArns))
		for _, arn := range page.TaskArns {
			if t, ok := cr.c.Tasks.lookup(arn); ok {
				known = append(known, t)
			} else {
				unknown = append(unknown, arn)
			}
		}
		cr.addTasks(ctx, known)
		for len(unknown) >= ECSDescribeBatch {
			describe(unknown[:ECSDescribeBatch:ECSDescribeBatch])
			unknown = unknown[ECSDescribeBatch:]
		}
	}
	if len(unknown) > 0 {
		describe(unknown)
	}
}

func (cr *clusterRun) describeTasks(ctx context.Context, arns []string) {
	resp, err := cr.c.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cr.cl.ARN), Tasks: arns})
	if err != nil {
		cr.failCall(ReasonTasksUnreadable, "describing tasks failed, so those tasks are missing from this pass", err, len(arns))
		return
	}
	if n := len(resp.Failures); n > 0 {
		cr.fail(ReasonDescribeFailure, "ECS could not describe some tasks: "+failureReason(resp.Failures), n)
	}
	tasks := make([]*Task, 0, len(resp.Tasks))
	for i := range resp.Tasks {
		t := &resp.Tasks[i]
		if t.TaskArn == nil || (t.ContainerInstanceArn != nil && t.TaskDefinitionArn == nil) {
			cr.addProblem(cr.cl.Name, ReasonMissingTaskFields, "ECS described some tasks without an ARN or task definition; they were skipped", 1)
			continue
		}
		task := convertTask(t, cr.strs)
		cr.c.Tasks.keep(task)
		if task.ContainerInstanceARN != "" { // else Fargate or not yet placed: no host of ours
			tasks = append(tasks, task)
		}
	}
	cr.addTasks(ctx, tasks)
}

// addTasks keeps the tasks that run on the cluster's Windows hosts, once
// those are all known, and fetches the task definitions they need.
func (cr *clusterRun) addTasks(ctx context.Context, tasks []*Task) {
	if len(tasks) == 0 {
		return
	}
	cr.mu.Lock()
	var ready []*Task
	if cr.windowsKnown {
		ready = cr.keepWindowsTasks(tasks)
	} else {
		cr.pending = append(cr.pending, tasks...)
	}
	cr.mu.Unlock()
	cr.needTaskDefinitions(ctx, ready)
}

func convertTask(t *ecstypes.Task, strs *interner) *Task {
	task := &Task{
		ID:                   own(TaskID(*t.TaskArn)),
		TaskDefinitionARN:    strs.keep(aws.ToString(t.TaskDefinitionArn)),
		ContainerInstanceARN: strs.keep(aws.ToString(t.ContainerInstanceArn)),
	}
	if t.StartedAt != nil && !t.StartedAt.IsZero() {
		task.started = t.StartedAt.UnixNano()
	}
	if t.Overrides != nil && aws.ToString(t.Overrides.TaskRoleArn) != "" {
		task.OverrideTaskRole = true
	}
	return task
}

// keepWindowsTasks adds the tasks that run on Windows hosts to the
// cluster and returns them. The caller holds cr.mu.
func (cr *clusterRun) keepWindowsTasks(tasks []*Task) []*Task {
	kept := tasks[:0:0]
	for _, t := range tasks {
		if cr.windows[t.ContainerInstanceARN] {
			kept = append(kept, t)
		}
	}
	cr.cl.Tasks = append(cr.cl.Tasks, kept...)
	return kept
}

// needTaskDefinitions fetches the revisions of tasks that no pass has
// fetched yet, one call each (ECS has no batch describe for them).
func (cr *clusterRun) needTaskDefinitions(ctx context.Context, tasks []*Task) {
	arns := make([]string, len(tasks))
	for i, t := range tasks {
		arns[i] = t.TaskDefinitionARN
	}
	cr.needTaskDefinitionARNs(ctx, arns)
}

// needTaskDefinitionARNs fetches the revisions no pass has fetched yet.
func (cr *clusterRun) needTaskDefinitionARNs(ctx context.Context, arns []string) {
	var fetch []string
	cr.fleetRun.mu.Lock()
	for _, arn := range arns {
		if cr.needed[arn] {
			continue
		}
		cr.needed[arn] = true
		fetch = append(fetch, arn)
	}
	cr.fleetRun.mu.Unlock()
	for _, arn := range fetch {
		if !cr.c.TaskDefs.claim(arn) {
			continue
		}
		cr.tdWork.Go(func() {
			cr.c.TaskDefs.settle(arn, cr.fetchTaskDefinition(ctx, arn))
		})
	}
}

func (cr *clusterRun) fetchTaskDefinition(ctx context.Context, arn string) *TaskDefinition {
	resp, err := cr.c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	if err != nil {
		cr.addFailure("", ReasonTaskDefUnreadable, "describing task definitions failed, so their tasks are judged next pass", err, 1)
		return nil
	}
	if resp.TaskDefinition == nil {
		cr.addProblem("", ReasonMissingTaskDefFields, "ECS answered without a task definition; its tasks are judged next pass", 1)
		return nil
	}
	return TaskDefinitionFrom(arn, resp.TaskDefinition)
}

// resolveTaskDefinitions fills the fleet's map from the cache with every
// revision a kept task needs.
func (r *fleetRun) resolveTaskDefinitions() {
	for arn := range r.needed {
		if td, ok := r.c.TaskDefs.Get(arn); ok {
			r.fleet.TaskDefinitions[arn] = td
		}
	}
}
