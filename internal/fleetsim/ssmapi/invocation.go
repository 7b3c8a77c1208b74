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
}

func (a *API) start(inv *invocation, at time.Time) {
	inv.status, inv.details, inv.started = statusInProgress, detailInProgress, at
	inv.hang = inv.inst.Host.Behavior == fleet.BehaveHang
	run := a.Timing.Execution
	if inv.hang || run > inv.cmd.execTimeout {
		run = inv.cmd.execTimeout
	}
	inv.end = at.Add(run)
}
