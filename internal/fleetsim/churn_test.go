package fleetsim_test

import (
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Churn starts tasks on every Windows host as a Poisson process: over
// ten mean intervals, about ten per host, each at its own time, breaking
// the hosts it starts unrouted tasks on; images that bootstrap
// themselves never start without the route.
func TestChurnStartsTasksAllDay(t *testing.T) {
	const hosts = 40
	for name, tc := range map[string]struct {
		bootstraps bool
		wantBroken bool
	}{
		"images without the bootstrap":     {false, true},
		"images that bootstrap themselves": {true, false},
	} {
		t.Run(name, func(t *testing.T) {
			s := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: hosts, TasksPerInstance: 4, Seed: 3})
			for i := range s.TaskDefinitions {
				s.TaskDefinitions[i].BootstrapsItself = tc.bootstraps
			}
			s.Churn = &scenario.Churn{Every: faults.Duration(time.Hour), WithoutRoute: 1}
			e := newEnvFor(t, s, fleetsim.Options{})
			e.clock.Step(10 * time.Hour)
			started, lacking := e.sim.ChurnStarts()
			// 400 expected; a Poisson count's standard deviation is 20.
			if started < 320 || started > 480 {
				t.Fatalf("%d tasks started over ten mean intervals on %d hosts", started, hosts)
			}
			outages := e.sim.Outages()
			if !tc.wantBroken {
				if lacking != 0 || len(outages) != 0 {
					t.Fatalf("%d started lacking the route, outages %v", lacking, outages)
				}
				return
			}
			if lacking != started || len(outages) < hosts*9/10 {
				t.Fatalf("%d of %d lacking the route, %d outages", lacking, started, len(outages))
			}
			for _, o := range outages {
				// Only a replacement of the broken task (FixedBy change)
				// ends an outage: nothing runs route-bootstrap here.
				if o.Cause != "newTask" || (!o.Fixed.IsZero() && o.FixedBy != "change") || !o.Broke.After(t0) || o.Broke.After(t0.Add(10*time.Hour)) {
					t.Fatalf("outage %+v", o)
				}
			}
		})
	}
}
