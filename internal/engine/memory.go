package engine

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
)

// memory is what the engine remembers of one policy between passes.
type memory struct {
	// passMu serialises passes of the policy: the pass that holds it owns
	// everything below but snapshot.
	passMu sync.Mutex

	ref   PolicyRef
	locks *hostLocks
	// target is the AWS account and region the memory is about.
	target awsapi.Target

	// recovered: SSM was asked what the document's commands did.
	recovered bool
	// document is the document version last ensured (no Name until
	// then); every run pins it.
	document remediate.Document

	commands map[string]*remediate.Command
	inFlight map[string]string // instance ID -> command ID
	// ends are the runs of each command in flight that ended and counted,
	// kept until the command ends so its events name them all at once.
	ends  map[string][]remediate.Outcome
	hosts map[string]*hostMemory

	// tasks remembers the policy's running tasks between inventories.
	tasks         *inventory.TaskCache
	fleet         *inventory.Fleet
	fleetKey      string
	inventoriedAt time.Time
	lastSync      time.Time
	// findings are the last audit's, worst first.
	findings []audit.Finding
	// lastProblems is the inventory problems last logged.
	lastProblems string
	// breaker is the policy's proxy-repair breaker (breaker.go).
	breaker breaker

	// events is what the policy's event queue made due.
	events eventMemory
	// learning is which task-definition revisions carry the route.
	learning learning

	// snapshot is the state gauges of the last pass, read by metrics
	// scrapes under the engine's mu.
	snapshot *metrics.PolicyState
}

// hostMemory is what the engine remembers about one host between passes.
type hostMemory struct {
	// lastRun is when its last command was sent, on our clock (SSM's for
	// a run read back from SSM's history); lastRunAWS is SSM's time of
	// that request, compared with task start times from ECS.
	lastRun    time.Time
	lastRunAWS time.Time
	report     *inventory.HostReport
	problem    *audit.RunProblem
	// repairs drive the host's back-off and the breaker (backoff.go).
	repairs repairs
}

func newMemory(ref PolicyRef, locks *hostLocks) *memory {
	m := &memory{ref: ref, locks: locks}
	m.clear()
	return m
}

// clear forgets everything learnt about the target.
func (m *memory) clear() {
	m.recovered, m.document = false, remediate.Document{}
	m.commands, m.inFlight, m.hosts = map[string]*remediate.Command{}, map[string]string{}, map[string]*hostMemory{}
	m.ends = map[string][]remediate.Outcome{}
	m.tasks = inventory.NewTaskCache()
	m.fleet, m.fleetKey, m.findings = nil, "", nil
	m.inventoriedAt, m.lastSync = time.Time{}, time.Time{}
	m.events, m.learning = eventMemory{}, learning{}
}

// retarget forgets everything learnt about another AWS target (another
// account, region or role): its commands, hosts and document mean
// nothing here, and SSM must be asked again. Other settings (endpoints,
// retry mode) keep the memory.
func (m *memory) retarget(t awsapi.Target) {
	if m.target == t {
		return
	}
	m.locks.releaseAll(m.ref)
	m.clear()
	if m.target != (awsapi.Target{}) {
		m.breaker.retarget()
	}
	m.target = t
}

func (m *memory) host(id string) *hostMemory {
	h, ok := m.hosts[id]
	if !ok {
		h = &hostMemory{}
		m.hosts[id] = h
	}
	return h
}

// track records commands as in flight on their hosts.
func (m *memory) track(cmds []remediate.Command) {
	for i := range cmds {
		c := cmds[i]
		m.commands[c.ID] = &c
		m.locks.take(m.target.Hosts(), c.InstanceIDs, m.ref)
		for _, id := range c.InstanceIDs {
			m.inFlight[id] = c.ID
			if h := m.host(id); !c.SentAt.Before(h.lastRun) {
				h.lastRun, h.lastRunAWS = c.SentAt, c.RequestedAt
			}
		}
	}
}

// commandList is the commands in flight, by ID.
func (m *memory) commandList() []remediate.Command {
	out := make([]remediate.Command, 0, len(m.commands))
	for _, id := range slices.Sorted(maps.Keys(m.commands)) {
		out = append(out, *m.commands[id])
	}
	return out
}

// apply records how a host's run ended, and reports whether it counted:
// an outcome of a command the host no longer waits for (a newer one was
// sent) changes nothing.
func (m *memory) apply(o remediate.Outcome) bool {
	if c := m.commands[o.CommandID]; c != nil {
		if c.Ended == nil {
			c.Ended = map[string]bool{}
		}
		c.Ended[o.InstanceID] = true // the next poll skips it
	}
	if m.inFlight[o.InstanceID] != o.CommandID {
		return false
	}
	m.land(o.InstanceID)
	h := m.host(o.InstanceID)
	m.remember(h, o)
	h.repairs.judge(o, m.commands[o.CommandID])
	if m.commands[o.CommandID] != nil {
		m.ends[o.CommandID] = append(m.ends[o.CommandID], o)
	}
	return true
}

// restore records the end of a run that SSM remembers from before this
// memory began: the host's last run and what it said.
func (m *memory) restore(o remediate.Outcome, cmd remediate.Command) {
	h := m.host(o.InstanceID)
	if cmd.RequestedAt.Before(h.lastRun) {
		return
	}
	h.lastRun, h.lastRunAWS = cmd.RequestedAt, cmd.RequestedAt
	m.remember(h, o)
	h.repairs.judge(o, &cmd)
}

// remember keeps a run's report, or why it gave none.
func (m *memory) remember(h *hostMemory, o remediate.Outcome) {
	if o.Result == remediate.ResultReport {
		h.report, h.problem = o.Report, nil
		return
	}
	reason := audit.ReasonRepairFailed
	switch {
	case o.Result == remediate.ResultUnreadable:
		reason = audit.ReasonReportUnreadable
	case o.Reason != "":
		reason = o.Reason
	}
	h.problem = &audit.RunProblem{Reason: reason, Message: o.Message}
}

// land marks the host's command as ended.
func (m *memory) land(id string) {
	delete(m.inFlight, id)
	m.locks.release(m.target.Hosts(), id, m.ref)
}

// endCommand drops a command whose hosts have all ended, and returns
// the runs of it that counted.
func (m *memory) endCommand(id string) endedCommand {
	c, ok := m.commands[id]
	if !ok {
		return endedCommand{id: id}
	}
	for _, h := range c.InstanceIDs {
		if m.inFlight[h] == id {
			m.land(h)
		}
	}
	ended := endedCommand{id: id, outcomes: m.ends[id]}
	delete(m.commands, id)
	delete(m.ends, id)
	return ended
}

// pruneHosts forgets hosts that left a fully read fleet, so memory and
// metrics follow the fleet.
func (m *memory) pruneHosts(f *inventory.Fleet) {
	if len(f.Problems) > 0 {
		return
	}
	live := map[string]bool{}
	for _, cl := range f.Clusters {
		for _, h := range cl.Hosts {
			live[h.InstanceID] = true
		}
	}
	for id := range m.hosts {
		if !live[id] && m.inFlight[id] == "" {
			delete(m.hosts, id)
		}
	}
}
