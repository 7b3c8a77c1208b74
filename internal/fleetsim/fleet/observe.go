package fleet

import "time"

// Observer is told of the changes ECS publishes EventBridge events for,
// as they happen (the fleet's clock is the time of the change).
type Observer interface {
	// TaskChanged: a task started (RUNNING) or stopped (STOPPED).
	TaskChanged(t *Task)
	// InstanceChanged: a container instance's agent connected or
	// disconnected, or the instance registered or deregistered.
	InstanceChanged(i *Instance)
	// PlacementFailed: the service scheduler could not place a task of
	// the service, for reason (RESOURCE:PORTS, ...).
	PlacementFailed(c *Cluster, s *Service, reason string)
}

// Watch makes o the fleet's observer; nil stops telling anyone.
func (f *Fleet) Watch(o Observer) { f.observer = o }

func (f *Fleet) taskChanged(t *Task) {
	if f.observer != nil {
		f.observer.TaskChanged(t)
	}
}

func (f *Fleet) instanceChanged(i *Instance) {
	if f.observer != nil {
		f.observer.InstanceChanged(i)
	}
}

// SetAgentConnected changes the instance's agentConnected, as the ECS
// agent's connection does, and tells the observer.
func (f *Fleet) SetAgentConnected(i *Instance, connected bool) {
	if i.AgentConnected == connected {
		return
	}
	i.AgentConnected = connected
	i.Version++
	f.instanceChanged(i)
}

// Now is the fleet's clock: the time of the change being played, else
// the simulator's clock.
func (f *Fleet) Now() time.Time { return f.now() }

func (f *Fleet) now() time.Time {
	if !f.at.IsZero() {
		return f.at
	}
	return f.clock()
}

// At plays what follows at t (a change due at t that the simulator
// catches up on later): the fleet's clock reads t until restore is
// called, so start times, events and outages carry the time the change
// happened, not the time it was noticed.
func (f *Fleet) At(t time.Time) (restore func()) {
	prev := f.at
	f.at = t
	return func() { f.at = prev }
}
