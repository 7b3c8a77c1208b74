package engine

import (
	"sync"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// policyState is the engine's memory of one policy.
type policyState struct {
	// passMu serialises passes of the policy.
	passMu sync.Mutex

	// recovered: in-flight commands were read back from SSM.
	recovered bool
	// document is the document version last ensured (no Name until
	// then); every run pins it.
	document remediate.Document

	commands map[string]*remediate.Command
	inFlight map[string]string // instance ID -> command ID
	hosts    map[string]*hostMemory

	// tasks remembers the policy's running tasks between inventories.
	tasks         *inventory.TaskCache
	fleet         *inventory.Fleet
	fleetKey      string
	inventoriedAt time.Time
	lastSync      time.Time

	// account is the AWS settings the memory belongs to.
	account awsapi.Settings
	// ref and locks tell the engine's other policies which hosts this
	// one has commands on.
	ref   PolicyRef
	locks *hostLocks
	// lastProblems is the inventory problems last logged.
	lastProblems string

	// snapshot is the last Result, read by metrics scrapes (under the
	// engine's mu).
	snapshot *Result
}

// hostMemory is what the engine remembers about one host between passes.
type hostMemory struct {
	lastRun time.Time
	// lastRunAWS is SSM's time of that run's request, compared with
	// task start times from ECS.
	lastRunAWS time.Time
	report     *inventory.HostReport
	problem    *audit.RunProblem
}

func newPolicyState(ref PolicyRef, locks *hostLocks) *policyState {
	return &policyState{
		ref:      ref,
		locks:    locks,
		commands: map[string]*remediate.Command{},
		inFlight: map[string]string{},
		hosts:    map[string]*hostMemory{},
		tasks:    inventory.NewTaskCache(),
	}
}

// resetOnNewAccount forgets everything learnt through other AWS settings
// (another account, region or endpoint): its commands, hosts and document
// mean nothing there, and in-flight commands must be recovered anew.
func (st *policyState) resetOnNewAccount(s awsapi.Settings) {
	if st.account == s {
		return
	}
	st.locks.releaseAll(st.ref)
	fresh := newPolicyState(st.ref, st.locks)
	st.recovered, st.document = false, remediate.Document{}
	st.commands, st.inFlight, st.hosts, st.tasks = fresh.commands, fresh.inFlight, fresh.hosts, fresh.tasks
	st.fleet, st.fleetKey, st.inventoriedAt, st.lastSync = nil, "", time.Time{}, time.Time{}
	st.account = s
}

func (st *policyState) host(id string) *hostMemory {
	h, ok := st.hosts[id]
	if !ok {
		h = &hostMemory{}
		st.hosts[id] = h
	}
	return h
}

// track records commands as in flight on their hosts.
func (st *policyState) track(cmds []remediate.Command) {
	for i := range cmds {
		c := cmds[i]
		st.commands[c.ID] = &c
		st.locks.take(st.account, c.InstanceIDs, st.ref)
		for _, id := range c.InstanceIDs {
			st.inFlight[id] = c.ID
			if h := st.host(id); !c.SentAt.Before(h.lastRun) {
				h.lastRun, h.lastRunAWS = c.SentAt, c.RequestedAt
			}
		}
	}
}

// land marks the host's command as ended.
func (st *policyState) land(id string) {
	delete(st.inFlight, id)
	st.locks.release(st.account, id, st.ref)
}

// forgetCommand drops a command whose hosts have all ended.
func (st *policyState) forgetCommand(id string) {
	c, ok := st.commands[id]
	if !ok {
		return
	}
	for _, h := range c.InstanceIDs {
		if st.inFlight[h] == id {
			st.land(h)
		}
	}
	delete(st.commands, id)
}

// pruneHosts forgets hosts that left a fully read fleet, so memory and
// metrics follow the fleet.
func (st *policyState) pruneHosts(f *inventory.Fleet) {
	if len(f.Problems) > 0 {
		return
	}
	live := map[string]bool{}
	for _, cl := range f.Clusters {
		for _, h := range cl.Hosts {
			live[h.InstanceID] = true
		}
	}
	for id := range st.hosts {
		if !live[id] && st.inFlight[id] == "" {
			delete(st.hosts, id)
		}
	}
}
