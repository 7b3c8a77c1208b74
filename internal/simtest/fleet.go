package simtest

import (
	"reflect"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// These helpers take the simulator rather than an Env, so tests that start
// one of their own (ecswinctl's, with real time) share them too.

// WindowsHosts reads every Windows host of the simulator.
func WindowsHosts(sim *fleetsim.Sim) []fleetsim.HostState {
	return sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true})
}

// RequireOnlyChecksRan fails tb unless the Windows hosts are as before
// (from WindowsHosts) except that checks ran on them: what a dry run or
// an audit may do.
func RequireOnlyChecksRan(tb testing.TB, sim *fleetsim.Sim, before []fleetsim.HostState) {
	tb.Helper()
	after := WindowsHosts(sim)
	ran := 0
	for i := range after {
		ran += after[i].CommandsRun
		after[i].CommandsRun = 0
	}
	if ran == 0 {
		tb.Error("no check ran on any host")
	}
	for i := range before {
		before[i].CommandsRun = 0
	}
	if !reflect.DeepEqual(before, after) {
		tb.Errorf("the fleet changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// RequireNoDriftedHosts fails tb if any Windows host of the simulator
// still lacks the route or its credential proxy.
func RequireNoDriftedHosts(tb testing.TB, sim *fleetsim.Sim) {
	tb.Helper()
	if drifted := sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}); len(drifted) != 0 {
		tb.Errorf("simulator still has drifted hosts %v", drifted)
	}
}
