package fleetsim

import (
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
)

// Calls returns the API calls answered so far, per service and operation.
func (s *Sim) Calls() CallCounts { return s.counter.Snapshot() }

// ResetCalls zeroes the call counters.
func (s *Sim) ResetCalls() { s.counter.Reset() }

// HostState reads one host by EC2 instance ID.
func (s *Sim) HostState(instanceID string) (HostState, bool) {
	leave := s.enter()
	defer leave()
	i := s.fleet.ByEC2ID(instanceID)
	if i == nil {
		return HostState{}, false
	}
	return i.State(), true
}

// FleetSummary counts the state of every active instance.
func (s *Sim) FleetSummary() Summary {
	leave := s.enter()
	defer leave()
	return s.fleet.Summarize()
}

// HostOS returns the host's in-memory Windows OS (created on demand), for
// tests that look deeper than HostState; nil for Linux or unknown hosts.
func (s *Sim) HostOS(instanceID string) *memos.Host {
	leave := s.enter()
	defer leave()
	i := s.fleet.ByEC2ID(instanceID)
	if i == nil {
		return nil
	}
	return i.OS()
}

// InstanceFilter selects instances for Instances.
type InstanceFilter struct {
	// Cluster limits to one cluster; empty means all.
	Cluster string
	// WindowsOnly skips Linux instances.
	WindowsOnly bool
	// Drifted keeps hosts lacking routes or with a dead proxy.
	Drifted bool
}

// Instances lists the EC2 instance IDs of active instances.
func (s *Sim) Instances(filter InstanceFilter) []string {
	states := s.HostStates(filter)
	out := make([]string, len(states))
	for k, st := range states {
		out[k] = st.InstanceID
	}
	return out
}

// HostStates reads every active host (in registration order).
func (s *Sim) HostStates(filter InstanceFilter) []HostState {
	leave := s.enter()
	defer leave()
	var out []HostState
	for _, i := range s.fleet.Candidates(filter.Cluster, filter.WindowsOnly) {
		st := i.State()
		if filter.Drifted && st.ContainersLackingRoute == 0 && st.ProxyHealthy {
			continue
		}
		out = append(out, st)
	}
	return out
}
