package ssmapi

import (
	"slices"
	"time"
)

// Invocation statuses (Status) and their finer causes (StatusDetails).
const (
	statusPending    = "Pending"
	statusInProgress = "InProgress"
	statusSuccess    = "Success"
	statusFailed     = "Failed"
	statusTimedOut   = "TimedOut"
	statusCancelled  = "Cancelled"
	statusCancelling = "Cancelling"

	detailPending          = "Pending"
	detailInProgress       = "In Progress"
	detailSuccess          = "Success"
	detailFailed           = "Failed"
	detailDeliveryTimedOut = "Delivery Timed Out"
	detailExecTimedOut     = "Execution Timed Out"
	detailCancelled        = "Cancelled"
	detailUndeliverable    = "Undeliverable"
	detailTerminated       = "Terminated"
	detailIncomplete       = "Incomplete"
	// detailNoInstances is a command whose Targets matched no instance
	// (the Status filter value NoInstancesInTag).
	detailNoInstances = "No Instances In Tag"
)

// Due tells whether Advance has anything to do at now.
func (a *API) Due(now time.Time) bool {
	for _, c := range a.active {
		if !now.Before(c.wakeAt) {
			return true
		}
	}
	return false
}

// NextWake is the time of the next change any unfinished command has
// scheduled; ok is false when none has any.
func (a *API) NextWake() (next time.Time, ok bool) {
	for _, c := range a.active {
		t := c.wakeAt
		if t.IsZero() {
			t, _ = c.nextEvent(c.requested.Add(a.Timing.Delivery), c.requested.Add(c.timeout))
		}
		if !t.IsZero() && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	return next, ok
}

// Advance plays every unfinished command's schedule up to now. The
// simulator calls it before each request, so state moves lazily with
// the clock and needs no goroutine.
func (a *API) Advance(now time.Time) {
	kept := a.active[:0]
	for _, c := range a.active {
		if now.Before(c.wakeAt) {
			kept = append(kept, c) // nothing due yet: skip the scan
			continue
		}
		a.advance(c, now)
		if !c.done {
			kept = append(kept, c)
		}
	}
	clear(a.active[len(kept):])
	a.active = kept
}

// advance plays one command's events in time order up to now: delivery
// once Timing.Delivery has passed, at most concLimit invocations in
// progress, completions (which run the document on the host), delivery
// timeouts, cancellations and the MaxErrors stop.
func (a *API) advance(c *command, now time.Time) {
	deliverAt := c.requested.Add(a.Timing.Delivery)
	deadline := c.requested.Add(c.timeout)
	for !c.done {
		next, ok := c.nextEvent(deliverAt, deadline)
		if !ok || next.After(now) {
			c.wakeAt = next
			break
		}
		if next.After(c.cursor) {
			c.cursor = next
		}
		restore := a.Fleet.At(c.cursor)
		a.step(c, deliverAt, deadline)
		restore()
		c.done = !slices.ContainsFunc(c.invs, func(inv *invocation) bool { return !inv.terminal() })
	}
}

func (c *command) nextEvent(deliverAt, deadline time.Time) (time.Time, bool) {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	running := 0
	pending := false
	for _, inv := range c.invs {
		switch inv.status {
		case statusInProgress:
			running++
			consider(inv.end)
			consider(inv.cancelAt)
		case statusPending:
			pending = true
			consider(inv.cancelAt)
		}
	}
	if pending {
		consider(deadline)
		switch {
		case c.stopSending:
			consider(c.cursor)
		case running < c.concLimit:
			consider(later(c.cursor, deliverAt))
		}
	}
	return next, !next.IsZero()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func due(t, now time.Time) bool { return !t.IsZero() && !t.After(now) }

// step applies everything due at the command's cursor.
func (a *API) step(c *command, deliverAt, deadline time.Time) {
	t := c.cursor
	for _, inv := range c.invs {
		if inv.status == statusInProgress && due(inv.cancelAt, t) {
			inv.finish(statusCancelled, detailCancelled, t)
		}
	}
	for _, inv := range c.invs {
		if inv.status == statusInProgress && due(inv.end, t) {
			a.complete(inv)
		}
	}
	if c.errors() > c.errLimit {
		c.stopSending = true
	}
	running := 0
	for _, inv := range c.invs {
		if inv.status == statusInProgress {
			running++
		}
	}
	for _, inv := range c.invs {
		if inv.status != statusPending {
			continue
		}
		switch {
		case due(inv.cancelAt, t):
			inv.finish(statusCancelled, detailCancelled, t)
		case c.stopSending:
			inv.finish(statusCancelled, detailTerminated, t)
		case !t.Before(deadline):
			inv.finish(statusTimedOut, detailDeliveryTimedOut, deadline)
		case t.Before(deliverAt) || running >= c.concLimit:
		case !inv.reachable():
			inv.finish(statusFailed, detailUndeliverable, t)
		default:
			a.start(inv, t)
			running++
		}
	}
}

// errors counts what MaxErrors counts: failures and execution timeouts.
func (c *command) errors() int {
	n := 0
	for _, inv := range c.invs {
		if inv.details == detailFailed || inv.details == detailExecTimedOut {
			n++
		}
	}
	return n
}

// status aggregates the invocations as Run Command does.
func (c *command) status() (status, details string) {
	n := c.tally()
	total := len(c.invs)
	switch {
	case total == 0:
		return statusFailed, detailNoInstances
	case n.open > 0 && n.cancelling:
		return statusCancelling, statusCancelling
	case n.open > 0 && n.started == 0:
		return statusPending, detailPending
	case n.open > 0:
		return statusInProgress, detailInProgress
	case n.cancelled > 0:
		return statusCancelled, detailCancelled
	case n.undeliverable == total:
		return statusFailed, detailUndeliverable
	case n.success == total-n.undeliverable:
		return statusSuccess, detailSuccess
	case n.failures+n.execTimedOut > c.errLimit && n.execTimedOut > n.failures:
		return statusTimedOut, detailExecTimedOut
	case n.failures+n.execTimedOut > c.errLimit:
		return statusFailed, detailFailed
	case n.deliveryTimedOut > c.errLimit:
		return statusTimedOut, detailDeliveryTimedOut
	default:
		return statusFailed, detailIncomplete
	}
}

// invocationTally counts a command's invocations by their details.
type invocationTally struct {
	open, started, success, failures, execTimedOut, deliveryTimedOut, cancelled, undeliverable int
	// cancelling is whether an open invocation has a cancel pending.
	cancelling bool
}

func (c *command) tally() invocationTally {
	var n invocationTally
	for _, inv := range c.invs {
		if !inv.started.IsZero() {
			n.started++
		}
		switch inv.details {
		case detailPending, detailInProgress:
			n.open++
			n.cancelling = n.cancelling || !inv.cancelAt.IsZero()
		case detailSuccess:
			n.success++
		case detailFailed:
			n.failures++
		case detailExecTimedOut:
			n.execTimedOut++
		case detailDeliveryTimedOut:
			n.deliveryTimedOut++
		case detailCancelled:
			n.cancelled++
		case detailUndeliverable:
			n.undeliverable++
		}
	}
	return n
}
