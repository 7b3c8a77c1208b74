package ssmapi

import (
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
)

// invocation is a command on one instance.
type invocation struct {
	cmd          *command
	index        int // its place among the command's invocations
	inst         *fleet.Instance
	status       string
	details      string
	responseCode int
	started      time.Time // delivered to the agent (zero while Pending)
	end          time.Time // scheduled end while InProgress
	ended        time.Time // terminal since
	cancelAt     time.Time
	hang         bool
	stdout       string
	stderr       string
}

func (inv *invocation) terminal() bool {
	return inv.status != statusPending && inv.status != statusInProgress
}

// reachable tells whether the agent can take the command now.
func (inv *invocation) reachable() bool {
	return inv.inst.Host.SSMOnline && inv.inst.Status != fleet.StatusInactive
}

func (inv *invocation) finish(status, details string, at time.Time) {
	inv.status, inv.details, inv.ended = status, details, at
	inv.changed(at)
}

// InvocationChange is an invocation's new status, as Run Command
// publishes it to EventBridge (EC2 Command Invocation Status-change
// Notification).
type InvocationChange struct {
	CommandID    string
	InstanceID   string
	DocumentName string
	Requested    time.Time
	Status       string
	At           time.Time
}

func (inv *invocation) changed(at time.Time) {
	if inv.cmd.onChange == nil {
		return
	}
	inv.cmd.onChange(InvocationChange{
		CommandID: inv.cmd.id, InstanceID: inv.inst.EC2ID, DocumentName: inv.cmd.doc.name,
		Requested: inv.cmd.requested, Status: inv.status, At: at,
	})
}

func (a *API) start(inv *invocation, at time.Time) {
	defer inv.changed(at)
	inv.status, inv.details, inv.started = statusInProgress, detailInProgress, at
	inv.hang = inv.inst.Host.Behavior == fleet.BehaveHang
	run := a.Timing.Execution
	if inv.hang || run > inv.cmd.execTimeout {
		run = inv.cmd.execTimeout
	}
	inv.end = at.Add(run)
}
