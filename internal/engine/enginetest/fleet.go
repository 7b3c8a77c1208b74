package enginetest

import (
	"reflect"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// WindowsHosts reads every Windows host of the simulator.
func (e *Env) WindowsHosts() []fleetsim.HostState {
	return e.Sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true})
}

// RequireOnlyChecksRan fails tb unless the Windows hosts are as before
// except that checks ran on them: what a dry run may do.
func (e *Env) RequireOnlyChecksRan(tb testing.TB, before []fleetsim.HostState) {
	tb.Helper()
	after := e.WindowsHosts()
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
