package fleetsim

import (
	"sort"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

type scheduledEvent struct {
	at    time.Time
	event scenario.Event
}

// FiredEvent records a scenario event that happened.
type FiredEvent struct {
	At     time.Time
	Action string
	// Instances are the EC2 instance IDs it touched.
	Instances []string
}

func (s *Sim) schedule(events []scenario.Event) {
	for _, e := range events {
		s.events = append(s.events, scheduledEvent{at: s.started.Add(time.Duration(e.After)), event: e})
	}
	sort.SliceStable(s.events, func(i, j int) bool { return s.events[i].at.Before(s.events[j].at) })
}

// FiredEvents lists the scenario events that have happened so far.
func (s *Sim) FiredEvents() []FiredEvent {
	leave := s.enter()
	defer leave()
	return append([]FiredEvent(nil), s.fired...)
}

func (s *Sim) fireEvents(now time.Time) {
	for len(s.events) > 0 && !s.events[0].at.After(now) {
		e := s.events[0]
		s.events = s.events[1:]
		touched := s.apply(e.event)
		ids := make([]string, len(touched))
		for k, i := range touched {
			ids[k] = i.EC2ID
		}
		s.fired = append(s.fired, FiredEvent{At: e.at, Action: e.event.Action, Instances: ids})
	}
}

// apply carries out one event and returns the instances it touched.
func (s *Sim) apply(e scenario.Event) []*fleet.Instance {
	switch e.Action {
	case scenario.ActionReboot:
		return s.rebootHosts(e)
	case scenario.ActionBreakProxy:
		return s.breakProxies(e)
	case scenario.ActionStripRoutes:
		return s.stripRoutes(e)
	case scenario.ActionStartTasks:
		return s.startTasksWithoutRoute(e)
	case scenario.ActionAgentOffline:
		return s.takeAgentsOffline(e)
	case scenario.ActionAgentOnline:
		return s.bringAgentsOnline(e)
	case scenario.ActionRegister:
		return s.registerInstances(e)
	case scenario.ActionDeregister:
		return s.deregisterInstances(e)
	case scenario.ActionSetFaults:
		s.injector.Set(*e.Faults)
	case scenario.ActionHangCommands:
		return s.setCommandBehavior(e, fleet.BehaveHang)
	case scenario.ActionFailCommands:
		return s.setCommandBehavior(e, fleet.BehaveFail)
	case scenario.ActionHealthyCommands:
		return s.healCommands(e)
	case scenario.ActionCreateService:
		if c := s.fleet.Cluster(e.Cluster); c != nil {
			s.fleet.CreateService(c, *e.Service)
		}
	}
	return nil
}

func (s *Sim) clusterOrFirst(name string) *fleet.Cluster {
	if name != "" {
		return s.fleet.Cluster(name)
	}
	if len(s.fleet.Clusters) == 0 {
		return nil
	}
	return s.fleet.Clusters[0]
}
