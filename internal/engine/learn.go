package engine

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
)

// Learning which task-definition revisions carry the route themselves
// (images that bootstrap themselves, or run route-bootstrap exec as their
// entrypoint), so their new tasks stop sending runs.
const (
	// learnAfter first checks in a row that found a revision's new tasks
	// carrying the route make it trusted; one that lacks it undoes that.
	learnAfter = 3
	// recheckOneIn: one new task in this many of a trusted revision
	// still gets its host a run, so a revision that changes is caught.
	recheckOneIn = 20
)

// learning is what the engine learns per revision, and the new tasks it
// learns from.
type learning struct {
	// fresh are, by container instance ARN, the tasks (ID -> task
	// definition) that started since the host's last run was requested:
	// the next run checks them first.
	fresh map[string]map[string]string
	// checking are, by instance ID, the fresh tasks its run in flight
	// checks first.
	checking map[string]map[string]string
	// carried counts, by revision, the first checks in a row that found
	// its tasks with the route.
	carried map[string]int
	// restarted are, by container instance ARN, the hosts whose every
	// task started since their last run, with the newest start: a reboot
	// or an agent restart, which may have taken the proxy down whatever
	// the tasks' revisions (polling sees no other sign of it).
	restarted map[string]time.Time
}

// trusted tells whether a new task of the revision needs no run: the
// revision carried the route at its last learnAfter first checks, and
// the task is not one picked for a re-check.
func (l *learning) trusted(taskDefinitionARN, taskID string) bool {
	if l.carried[taskDefinitionARN] < learnAfter {
		return false
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(taskID))
	return h.Sum32()%recheckOneIn != 0
}

// note records a task that started on a host since its last run, and
// reports whether it is new to the record.
func (l *learning) note(containerInstanceARN, taskID, taskDefinitionARN string) bool {
	if l.fresh == nil {
		l.fresh = map[string]map[string]string{}
	}
	tasks := l.fresh[containerInstanceARN]
	if tasks == nil {
		tasks = map[string]string{}
		l.fresh[containerInstanceARN] = tasks
	}
	if _, ok := tasks[taskID]; ok {
		return false
	}
	tasks[taskID] = taskDefinitionARN
	return true
}

// judge learns from a host's report what its run found of the tasks it
// checked first. A report lists the tasks that lacked the route (up to a
// cap), so a task it does not list carried it only when nothing lacked.
func (l *learning) judge(tasks map[string]string, r *inventory.HostReport) {
	if l.carried == nil {
		l.carried = map[string]int{}
	}
	lacking := make(map[string]bool, len(r.TasksWithoutRoute))
	for _, arn := range r.TasksWithoutRoute {
		lacking[inventory.TaskID(arn)] = true
	}
	for id, def := range tasks {
		switch {
		case lacking[id]:
			l.carried[def] = 0
		case r.ContainersLackingRouteBefore == 0:
			l.carried[def]++
		}
	}
}

// learnRevisions learns from the reports this pass read, and records the
// tasks a new inventory found started since their host's last run.
func learnRevisions(_ context.Context, p *pass) (time.Duration, error) {
	l := &p.mem.learning
	for _, o := range p.did.outcomes {
		if tasks, ok := l.checking[o.InstanceID]; ok && o.Report != nil {
			l.judge(tasks, o.Report)
		}
		delete(l.checking, o.InstanceID)
	}
	if !p.did.inventoried || p.mem.fleet == nil {
		return 0, nil
	}
	live := map[string]bool{}
	l.restarted = map[string]time.Time{}
	for _, cl := range p.mem.fleet.Clusters {
		p.noteCluster(cl, live)
	}
	for arn := range l.fresh {
		if !live[arn] {
			delete(l.fresh, arn)
		}
	}
	return 0, nil
}

// noteCluster records the cluster's tasks that started since their
// host's last run, and its hosts whose every task did; live gets its
// hosts.
func (p *pass) noteCluster(cl *inventory.Cluster, live map[string]bool) {
	l := &p.mem.learning
	// Only hosts already run on: the tasks a host's first run finds are
	// not new (an earlier run, or anything else, may have given them the
	// route).
	lastRun := make(map[string]time.Time, len(cl.Hosts))
	for _, h := range cl.Hosts {
		live[h.ContainerInstanceARN] = true
		if mem := p.mem.hosts[h.InstanceID]; mem != nil && !mem.lastRunAWS.IsZero() {
			lastRun[h.ContainerInstanceARN] = mem.lastRunAWS
		}
	}
	allNew := map[string]bool{}
	for _, t := range cl.Tasks {
		last, ok := lastRun[t.ContainerInstanceARN]
		if !ok {
			continue
		}
		l.noteRestart(allNew, t, last)
		if t.StartedAt().After(last) && p.needsRoute(t.TaskDefinitionARN) &&
			l.note(t.ContainerInstanceARN, t.ID, t.TaskDefinitionARN) && l.trusted(t.TaskDefinitionARN, t.ID) {
			p.e.deps.Metrics.RunAvoided(p.ref.String(), metrics.AvoidedRevisionCarriesRoute)
		}
	}
	for arn, all := range allNew {
		if !all {
			delete(l.restarted, arn)
		}
	}
}

// noteRestart keeps, per host, whether every task so far started after
// its last run, and the newest start.
func (l *learning) noteRestart(allNew map[string]bool, t *inventory.Task, last time.Time) {
	arn := t.ContainerInstanceARN
	if all, seen := allNew[arn]; seen && !all {
		return
	}
	allNew[arn] = t.StartedAt().After(last)
	if t.StartedAt().After(l.restarted[arn]) {
		l.restarted[arn] = t.StartedAt()
	}
}

// noteChecks moves the fresh tasks of the hosts this pass sent runs to
// into what those runs check first.
func noteChecks(_ context.Context, p *pass) (time.Duration, error) {
	l := &p.mem.learning
	if len(p.did.sent) == 0 || len(l.fresh) == 0 || p.mem.fleet == nil {
		return 0, nil
	}
	sent := map[string]bool{}
	for _, c := range p.did.sent {
		for _, id := range c.InstanceIDs {
			sent[id] = true
		}
	}
	if l.checking == nil {
		l.checking = map[string]map[string]string{}
	}
	for _, cl := range p.mem.fleet.Clusters {
		for _, h := range cl.Hosts {
			if tasks, ok := l.fresh[h.ContainerInstanceARN]; ok && sent[h.InstanceID] {
				l.checking[h.InstanceID] = tasks
				delete(l.fresh, h.ContainerInstanceARN)
			}
		}
	}
	return 0, nil
}

// needsRoute tells whether tasks of the definition need the route, as
// far as the last inventory knows it; one it does not know does.
func (p *pass) needsRoute(taskDefinitionARN string) bool {
	if p.mem.fleet == nil {
		return true
	}
	td, ok := p.mem.fleet.TaskDefinitions[taskDefinitionARN]
	return !ok || td.NeedsRoute()
}
