package fleet

import (
	"strconv"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// RegisterTaskDefinition adds the next revision of td's family.
func (f *Fleet) RegisterTaskDefinition(td scenario.TaskDefinition) *TaskDefinition {
	rev := 1
	if prev := f.latest[td.Family]; prev != nil {
		rev = prev.Revision + 1
	}
	def := &TaskDefinition{
		Family:       td.Family,
		Revision:     rev,
		NetworkMode:  td.NetworkMode,
		TaskRoleArn:  td.TaskRoleArn,
		RoleOverride: td.RoleOverride,
		Containers:   td.Containers,
		RegisteredAt: f.now(),

		BootstrapsItself: td.BootstrapsItself,
	}
	key := td.Family + ":" + strconv.Itoa(rev)
	def.arn = f.arn("task-definition/" + key)
	f.TaskDefs = append(f.TaskDefs, def)
	f.defByKey[key] = def
	f.latest[td.Family] = def
	return def
}

// TaskDefinition finds a revision by family (latest), family:revision or ARN.
func (f *Fleet) TaskDefinition(ref string) *TaskDefinition {
	key := lastSegment(ref)
	if def, ok := f.defByKey[key]; ok {
		return def
	}
	return f.latest[key]
}

// startTask runs a task of def on inst; an image that bootstraps itself
// always starts with the route.
func (f *Fleet) startTask(inst *Instance, def *TaskDefinition, started time.Time, withRoute bool) *Task {
	withRoute = withRoute || def.BootstrapsItself
	t := &Task{
		ID:            f.ids.hex32(),
		Def:           def,
		Instance:      inst,
		LastStatus:    TaskRunning,
		DesiredStatus: TaskRunning,
		CreatedAt:     started.Add(-4 * time.Second),
		StartedAt:     started,
		withRoute:     withRoute,
		Version:       1,
	}
	c := inst.Cluster
	c.Tasks = append(c.Tasks, t)
	c.taskByID[t.ID] = t
	c.running++
	c.runningByFamily[def.Family]++
	inst.Tasks = append(inst.Tasks, t)
	inst.Version++
	if inst.Host.os != nil {
		addContainers(inst.Host.os, t)
	}
	f.taskChanged(t)
	f.noteHealth(inst, CauseNewTask, FixedByChange)
	return t
}

// StartTask runs a task of def on inst now; withRoute false models an
// image that lacks the route bootstrap.
func (f *Fleet) StartTask(inst *Instance, def *TaskDefinition, withRoute bool) *Task {
	return f.startTask(inst, def, f.now(), withRoute)
}

// StopTask stops a running task.
func (f *Fleet) StopTask(t *Task, reason string) {
	if t.LastStatus == TaskStopped {
		return
	}
	t.LastStatus, t.DesiredStatus = TaskStopped, TaskStopped
	t.StoppedAt = f.now()
	t.StoppedReason = reason
	t.Version++
	inst := t.Instance
	inst.Cluster.running--
	inst.Cluster.runningByFamily[t.Def.Family]--
	for i, rt := range inst.Tasks {
		if rt == t {
			inst.Tasks = append(inst.Tasks[:i:i], inst.Tasks[i+1:]...)
			break
		}
	}
	inst.Version++
	if inst.Host.os != nil {
		for _, id := range containerIDs(t) {
			inst.Host.os.RemoveContainer(id)
		}
	}
	f.taskChanged(t)
	f.noteHealth(inst, "", FixedByChange)
}

// Task finds a task of cluster c by ARN or ID.
func (c *Cluster) Task(arnOrID string) *Task { return c.taskByID[lastSegment(arnOrID)] }

// RunningTasks is how many tasks of the cluster are running.
func (c *Cluster) RunningTasks() int { return c.running }

func containerIDs(t *Task) []string {
	ids := make([]string, len(t.Def.Containers))
	for i, c := range t.Def.Containers {
		ids[i] = t.ID + "/" + c.Name
	}
	return ids
}

func addContainers(os *memos.Host, t *Task) {
	mode := memos.NetworkNAT
	if !t.Def.NATMode() {
		mode = memos.NetworkAWSVPC
	}
	for _, id := range containerIDs(t) {
		os.AddContainer(memos.ContainerSpec{ID: id, TaskARN: t.ARN(), NetworkMode: mode, WithRoute: t.withRoute})
	}
}
