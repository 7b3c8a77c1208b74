package engine

import (
	"context"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	queue "github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
)

// eventMemory is what a policy's events leave for later passes. Events
// are hints: they make things due sooner, and the inventory and the
// hosts' reports still decide what is wrong.
type eventMemory struct {
	// on: the policy's queue was being read at the last pass, so SSM's
	// status events say when a run ended and polling is the fallback.
	on bool
	// due is, by container instance ARN, the newest event (ECS's clock)
	// that calls for a run on the host: a task that started, an agent
	// that reconnected. A run requested after it settles it.
	due map[string]time.Time
	// inventoryDue: a service could not place for a port; the next
	// inventory (which reads services and their task definitions, and
	// so finds R6) is now.
	inventoryDue bool
	// readAt is when each command in flight was last read.
	readAt map[string]time.Time
	// invocations are the commands whose status events this pass took:
	// the poll step reads them now.
	invocations map[string]bool
}

// policySettings are the AWS settings of a policy: its account, region
// and endpoints, and its event queue, whose host the operator's trust
// must allow like any other endpoint's.
func policySettings(ref PolicyRef, spec v1alpha1.FleetPolicySpec) awsapi.Settings {
	return awsapi.SettingsFor(ref.String(), spec.AWS).WithEventQueue(spec.Events)
}

// takeHints keeps the policy's feed reading its queue and takes what its
// events made due by now. It asks to come back when the next debounced
// batch of hosts is ready.
func takeHints(_ context.Context, p *pass) (time.Duration, error) {
	hub := p.e.deps.Hints
	ev := &p.mem.events
	ev.invocations = nil
	if hub == nil {
		ev.on = false
		return 0, nil
	}
	policy := p.ref.String()
	status := hub.Ensure(policy, queue.Config{
		Settings: p.settings,
		Scope:    queue.Scope{Region: p.spec.AWS.Region, Clusters: p.spec.Clusters, Document: p.spec.Remediation.DocumentName},
	})
	ev.on = status.State == queue.StateReceiving
	ev.settle(p)
	ev.add(p, hub.Take(policy, p.now))
	if at, ok := hub.ReadyAt(policy); ok {
		return max(at.Sub(p.now), minRequeue), nil
	}
	return 0, nil
}

// add records a batch of hints.
func (ev *eventMemory) add(p *pass, b queue.Batch) {
	if ev.due == nil {
		ev.due = map[string]time.Time{}
	}
	for _, h := range b.Hosts {
		if !h.CheckProxy && !p.newTasksNeedRun(h) {
			continue
		}
		if h.First.After(ev.due[h.ContainerInstanceARN]) {
			ev.due[h.ContainerInstanceARN] = h.First
		}
	}
	if len(b.TaskDefinitions) > 0 {
		ev.inventoryDue = true
	}
	for _, h := range b.Invocations {
		if ev.invocations == nil {
			ev.invocations = map[string]bool{}
		}
		ev.invocations[h.CommandID] = true
	}
}

// newTasksNeedRun records the host's new tasks for learning and tells
// whether any needs a run: one of a definition that needs the route
// (or that the inventory does not know yet), of a revision not trusted to
// carry it. The others are runs avoided.
func (p *pass) newTasksNeedRun(h queue.HostHint) bool {
	l := &p.mem.learning
	need := false
	for _, t := range h.NewTasks {
		id := inventory.TaskID(t.ARN)
		if !p.needsRoute(t.TaskDefinitionARN) {
			p.e.deps.Metrics.RunAvoided(p.ref.String(), metrics.AvoidedNoNATContainers)
			continue
		}
		added := l.note(h.ContainerInstanceARN, id, t.TaskDefinitionARN)
		switch {
		case !l.trusted(t.TaskDefinitionARN, id):
			need = true
		case added:
			p.e.deps.Metrics.RunAvoided(p.ref.String(), metrics.AvoidedRevisionCarriesRoute)
		}
	}
	return need
}

// settle forgets the hosts whose last run was requested after their
// event, and events older than a reverify (that run comes anyway).
func (ev *eventMemory) settle(p *pass) {
	if len(ev.due) == 0 {
		return
	}
	for arn, at := range ev.due {
		if p.now.Sub(at) > p.spec.Intervals.Reverify.Duration {
			delete(ev.due, arn)
		}
	}
	if p.mem.fleet == nil {
		return
	}
	for _, cl := range p.mem.fleet.Clusters {
		for _, h := range cl.Hosts {
			at, ok := ev.due[h.ContainerInstanceARN]
			if mem := p.mem.hosts[h.InstanceID]; ok && mem != nil && !mem.lastRunAWS.Before(at) {
				delete(ev.due, h.ContainerInstanceARN)
			}
		}
	}
}

// dueByEvent is the newest event that calls for a run on the container
// instance (zero if none): candidates treat it as a task start.
func (m *memory) dueByEvent(containerInstanceARN string) time.Time {
	return m.events.due[containerInstanceARN]
}

// inventoryForced tells whether an event asked for the fleet to be read
// now, and takes the request.
func (m *memory) inventoryForced() bool {
	forced := m.events.inventoryDue
	m.events.inventoryDue = false
	return forced
}

// pollEvery is how long a command in flight goes unread: the poll
// interval, or while SSM's status events arrive the inventory interval
// up to fallbackPoll (the fallback for an event lost on the way: a host
// waits for its command's end before its next run).
func (p *pass) pollEvery() time.Duration {
	if !p.mem.events.on {
		return p.e.deps.PollInterval
	}
	return max(p.e.deps.PollInterval, min(p.spec.Intervals.Inventory.Duration, fallbackPoll))
}

// commandsToRead are the commands in flight that the poll step reads
// now: all of them without events; with events, those whose status
// event this pass took and those unread for pollEvery.
func (p *pass) commandsToRead() []remediate.Command {
	ev := &p.mem.events
	all := p.mem.commandList()
	if ev.readAt == nil {
		ev.readAt = map[string]time.Time{}
	}
	out := all[:0:0]
	for _, c := range all {
		if !ev.on || ev.invocations[c.ID] || !p.now.Before(ev.lastRead(c).Add(p.pollEvery())) {
			out = append(out, c)
			ev.readAt[c.ID] = p.now
		}
	}
	for id := range ev.readAt {
		if p.mem.commands[id] == nil {
			delete(ev.readAt, id)
		}
	}
	return out
}

// lastRead is when c was last read, or sent.
func (ev *eventMemory) lastRead(c remediate.Command) time.Time {
	if at, ok := ev.readAt[c.ID]; ok && at.After(c.SentAt) {
		return at
	}
	return c.SentAt
}

// pollAgain is how soon a pass should come back for the commands in
// flight: when the first of them is next due a read (0: none in flight).
func (p *pass) pollAgain() time.Duration {
	if len(p.mem.commands) > 0 && !p.mem.events.on {
		return p.e.deps.PollInterval
	}
	var next time.Duration
	for _, c := range p.mem.commands {
		next = soonest(next, max(p.mem.events.lastRead(*c).Add(p.pollEvery()).Sub(p.now), minRequeue))
	}
	return next
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// reverify is how long a verified host goes without a run: the policy's
// reverify period, or while the queue is read eventsReverifyFactor times
// it. The events bring what needs a run sooner (new tasks, reboots and
// agent restarts); the reverify is left for drift no event tells of (a
// route lost inside a running container, a proxy gone without a
// restart).
func (p *pass) reverify() time.Duration {
	if p.mem.events.on {
		return eventsReverifyFactor * p.spec.Intervals.Reverify.Duration
	}
	return p.spec.Intervals.Reverify.Duration
}
