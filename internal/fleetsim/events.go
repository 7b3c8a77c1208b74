package fleetsim

import (
	"sort"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
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
	f := s.fleet
	windows := func() []*fleet.Instance { return f.Pick(f.Candidates(e.Cluster, true), e.Count) }
	var touched []*fleet.Instance
	switch e.Action {
	case scenario.ActionReboot:
		touched = windows()
		for _, i := range touched {
			f.Reboot(i)
		}
	case scenario.ActionBreakProxy:
		touched = windows()
		for _, i := range touched {
			i.BreakProxy(memos.ProxyAddressNotUp)
		}
	case scenario.ActionStripRoutes:
		touched = windows()
		for _, i := range touched {
			i.StripRoutes()
		}
	case scenario.ActionStartTasks:
		for _, t := range f.StartTasksWithoutRoute(f.Candidates(e.Cluster, true), e.Count) {
			touched = append(touched, t.Instance)
		}
	case scenario.ActionAgentOffline:
		touched = f.Pick(f.Candidates(e.Cluster, false), e.Count)
		for _, i := range touched {
			i.Host.SSMOnline = false
		}
	case scenario.ActionAgentOnline:
		for _, i := range f.Candidates(e.Cluster, false) {
			if !i.Host.SSMOnline {
				i.Host.SSMOnline = true
				touched = append(touched, i)
			}
		}
	case scenario.ActionRegister:
		for range e.Count {
			if i := f.RegisterInstance(s.clusterOrFirst(e.Cluster)); i != nil {
				touched = append(touched, i)
			}
		}
	case scenario.ActionDeregister:
		touched = f.Pick(f.Candidates(e.Cluster, false), e.Count)
		for _, i := range touched {
			f.DeregisterInstance(i)
		}
	case scenario.ActionSetFaults:
		s.injector.Set(*e.Faults)
	case scenario.ActionHangCommands, scenario.ActionFailCommands:
		b := fleet.BehaveHang
		if e.Action == scenario.ActionFailCommands {
			b = fleet.BehaveFail
		}
		touched = windows()
		for _, i := range touched {
			i.Host.Behavior = b
		}
	case scenario.ActionHealthyCommands:
		for _, i := range f.Candidates(e.Cluster, false) {
			if i.Host.Behavior != fleet.BehaveNormally {
				i.Host.Behavior = fleet.BehaveNormally
				touched = append(touched, i)
			}
		}
	}
	return touched
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
