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

// pickAny picks the event's count of instances of any OS in its cluster.
func (s *Sim) pickAny(e scenario.Event) []*fleet.Instance {
	return s.fleet.Pick(s.fleet.Candidates(e.Cluster, false), e.Count)
}

// each runs do on every instance and returns them, all being touched.
func each(insts []*fleet.Instance, do func(*fleet.Instance)) []*fleet.Instance {
	for _, i := range insts {
		do(i)
	}
	return insts
}

// restore sets right every instance of the event's cluster that is wrong
// and returns only those: the others were not touched.
func (s *Sim) restore(e scenario.Event, wrong func(*fleet.Instance) bool, fix func(*fleet.Instance)) []*fleet.Instance {
	var touched []*fleet.Instance
	for _, i := range s.fleet.Candidates(e.Cluster, false) {
		if wrong(i) {
			fix(i)
			touched = append(touched, i)
		}
	}
	return touched
}

func (s *Sim) rebootHosts(e scenario.Event) []*fleet.Instance {
	return each(s.pickWindows(e), s.fleet.Reboot)
}

func (s *Sim) breakProxies(e scenario.Event) []*fleet.Instance {
	return each(s.pickWindows(e), func(i *fleet.Instance) { s.breakProxy(i, memos.ProxyAddressNotUp) })
}

func (s *Sim) stripRoutes(e scenario.Event) []*fleet.Instance {
	return each(s.pickWindows(e), s.stripRoutesOf)
}

// breakProxy and stripRoutesOf break a host and open its outage.
func (s *Sim) breakProxy(i *fleet.Instance, pf memos.ProxyFault) {
	i.BreakProxy(pf)
	s.fleet.NoteBreak(i, fleet.CauseProxyDied)
}

func (s *Sim) stripRoutesOf(i *fleet.Instance) {
	i.StripRoutes()
	s.fleet.NoteBreak(i, fleet.CauseRouteLost)
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
	return each(s.pickAny(e), func(i *fleet.Instance) { i.Host.SSMOnline = false })
}

func (s *Sim) bringAgentsOnline(e scenario.Event) []*fleet.Instance {
	return s.restore(e,
		func(i *fleet.Instance) bool { return !i.Host.SSMOnline },
		func(i *fleet.Instance) { i.Host.SSMOnline = true })
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
	return each(s.pickAny(e), s.fleet.DeregisterInstance)
}

func (s *Sim) setCommandBehavior(e scenario.Event, b fleet.Behavior) []*fleet.Instance {
	return each(s.pickWindows(e), func(i *fleet.Instance) { i.Host.Behavior = b })
}

func (s *Sim) healCommands(e scenario.Event) []*fleet.Instance {
	return s.restore(e,
		func(i *fleet.Instance) bool { return i.Host.Behavior != fleet.BehaveNormally },
		func(i *fleet.Instance) { i.Host.Behavior = fleet.BehaveNormally })
}
