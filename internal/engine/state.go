package engine

import (
	"sync"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
)

// policyState is the engine's memory of one policy.
type policyState struct {
	// passMu serialises passes of the policy.
	passMu sync.Mutex

	// recovered: in-flight commands were read back from SSM.
	recovered bool
	// documentReady names the document last ensured.
	documentReady string
	commands      map[string]*remediate.Command
	inFlight      map[string]string // instance ID -> command ID
	hosts         map[string]*hostMemory

	fleet         *inventory.Fleet
	fleetKey      string
	inventoriedAt time.Time
	lastSync      time.Time

	// snapshot is the last Result, read by metrics scrapes (under the
	// engine's mu).
	snapshot *Result
}

// hostMemory is what the engine remembers about one host between passes.
type hostMemory struct {
	lastRun    time.Time
	report     *inventory.HostReport
	lastResult remediate.Result
	problem    *audit.RunProblem
}

func newPolicyState() *policyState {
	return &policyState{
		commands: map[string]*remediate.Command{},
		inFlight: map[string]string{},
		hosts:    map[string]*hostMemory{},
	}
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
		for _, id := range c.InstanceIDs {
			st.inFlight[id] = c.ID
			if h := st.host(id); c.SentAt.After(h.lastRun) {
				h.lastRun = c.SentAt
			}
		}
	}
}
