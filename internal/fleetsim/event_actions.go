package fleetsim

import (
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// The scenario actions apply dispatches to, one per action.

// pickWindows picks the event's count of Windows instances in its cluster.
func (s *Sim) pickWindows(e scenario.Event) []*fleet.Instance {
	return s.fleet.Pick(s.fleet.Candidates(e.Cluster, true), e.Count)
}

func (s *Sim) rebootHosts(e scenario.Event) []*fleet.Instance {
	touched := s.pickWindows(e)
	for _, i := range touched {
		s.fleet.Reboot(i)
	}
	return touched
}

func (s *Sim) breakProxies(e scenario.Event) []*fleet.Instance {
	touched := s.pickWindows(e)
	for _, i := range touched {
		i.BreakProxy(memos.ProxyAddressNotUp)
	}
	return touched
}

func (s *Sim) stripRoutes(e scenario.Event) []*fleet.Instance {
	touched := s.pickWindows(e)
	for _, i := range touched {
		i.StripRoutes()
	}
	return touched
}

func (s *Sim) startTasksWithoutRoute(e scenario.Event) []*fleet.Instance {
	started := s.fleet.StartTasksWithoutRoute(s.fleet.Candidates(e.Cluster, true), e.Count)
	touched := make([]*fleet.Instance, 0, len(started))
	for _, t := range started {
		touched = append(touched, t.Instance)
	}
	return touched
}

func (s *Sim) takeAgentsOffline(e scenario.Event) []*fleet.Instance {
	touched := s.fleet.Pick(s.fleet.Candidates(e.Cluster, false), e.Count)
	for _, i := range touched {
		i.Host.SSMOnline = false
	}
	return touched
}

// bringAgentsOnline touches only the instances whose agent was offline.
func (s *Sim) bringAgentsOnline(e scenario.Event) []*fleet.Instance {
	var touched []*fleet.Instance
	for _, i := range s.fleet.Candidates(e.Cluster, false) {
		if !i.Host.SSMOnline {
			i.Host.SSMOnline = true
			touched = append(touched, i)
		}
	}
	return touched
}

func (s *Sim) registerInstances(e scenario.Event) []*fleet.Instance {
	var touched []*fleet.Instance
	for range e.Count {
		if i := s.fleet.RegisterInstance(s.clusterOrFirst(e.Cluster)); i != nil {
			touched = append(touched, i)
		}
	}
	return touched
}

func (s *Sim) deregisterInstances(e scenario.Event) []*fleet.Instance {
	touched := s.fleet.Pick(s.fleet.Candidates(e.Cluster, false), e.Count)
	for _, i := range touched {
		s.fleet.DeregisterInstance(i)
	}
	return touched
}

func (s *Sim) setCommandBehavior(e scenario.Event, b fleet.Behavior) []*fleet.Instance {
	touched := s.pickWindows(e)
	for _, i := range touched {
		i.Host.Behavior = b
	}
	return touched
}

// healCommands touches only the instances that misbehaved.
func (s *Sim) healCommands(e scenario.Event) []*fleet.Instance {
	var touched []*fleet.Instance
	for _, i := range s.fleet.Candidates(e.Cluster, false) {
		if i.Host.Behavior != fleet.BehaveNormally {
			i.Host.Behavior = fleet.BehaveNormally
			touched = append(touched, i)
		}
	}
	return touched
}
