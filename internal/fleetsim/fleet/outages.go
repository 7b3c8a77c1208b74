package fleet

import "time"

// Causes of an outage: what broke a host that was healthy.
const (
	CauseInitial    = "initial"    // broken when the scenario started
	CauseNewTask    = "newTask"    // a task started without the route
	CauseReboot     = "reboot"     // the host rebooted: proxy down, tasks restarted
	CauseRouteLost  = "routeLost"  // running containers lost the route
	CauseProxyDied  = "proxyDied"  // the credential proxy died without a reboot
	CauseRegistered = "registered" // a new instance came up broken
)

// How an outage ended.
const (
	FixedByCommand = "command" // an SSM command's run repaired the host
	FixedByChange  = "change"  // the fleet changed: the broken task stopped, the host left
)

// Outage is a time a Windows host lacked the credential route in some
// NAT-mode container or had a broken credential proxy: the simulator's
// ground truth for time-to-fix measurements.
type Outage struct {
	InstanceID string
	Cause      string
	Broke      time.Time
	// Fixed is zero while the outage lasts.
	Fixed   time.Time
	FixedBy string
}

// healthy is the ground truth the outages follow.
func (i *Instance) healthy() bool {
	return i.Status == StatusInactive || (i.ContainersLackingRoute() == 0 && i.ProxyHealthy())
}

// noteHealth opens an outage when a healthy Windows host broke (cause
// says how) and closes the open one when a broken host became healthy
// (by says how), both at the fleet's clock.
func (f *Fleet) noteHealth(i *Instance, cause, by string) {
	if f.building || !i.Windows() {
		return
	}
	healthy := i.healthy()
	switch {
	case !healthy && i.outage == nil:
		i.outage = &Outage{InstanceID: i.EC2ID, Cause: cause, Broke: f.now()}
	case healthy && i.outage != nil:
		o := *i.outage
		o.Fixed, o.FixedBy = f.now(), by
		f.outages = append(f.outages, o)
		i.outage = nil
	}
}

// NoteRepairAttempt is called after an SSM command ran on the host: an
// outage it ended was fixed by the command.
func (f *Fleet) NoteRepairAttempt(i *Instance) { f.noteHealth(i, "", FixedByCommand) }

// NoteBreak is called after something outside the task lifecycle broke
// the host (cause: CauseRouteLost, CauseProxyDied, ...).
func (f *Fleet) NoteBreak(i *Instance, cause string) { f.noteHealth(i, cause, FixedByChange) }

// Outages lists every outage that ended, in the order they ended, then
// the ones still open (Fixed zero).
func (f *Fleet) Outages() []Outage {
	out := append([]Outage(nil), f.outages...)
	for _, i := range f.ec2Order {
		if i.outage != nil {
			out = append(out, *i.outage)
		}
	}
	return out
}
