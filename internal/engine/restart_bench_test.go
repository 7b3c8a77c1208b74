package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

// BenchmarkRestart measures what a controller restart costs over a fleet
// verified just before it, on the simulator's fake clock: the runs the
// restarted engine sends before a host that breaks right after the
// restart (a task started without the route) is repaired, and how long
// that host waits, at the CRD's default in-flight cap with 2 s delivery
// and 30 s execution. An engine that forgot the fleet would sweep it
// first (the issue measured 1,000 runs at 1,000 hosts and a 58-minute
// wait at 10,000).
//
//	go test ./internal/engine -run '^$' -bench Restart -benchtime 1x
func BenchmarkRestart(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			var runs, wait float64
			for i := 0; i < b.N; i++ {
				r, w := restartOnce(b, n)
				runs += float64(r)
				wait += w.Seconds()
			}
			b.ReportMetric(runs/float64(b.N), "runs/restart")
			b.ReportMetric(wait/float64(b.N), "broken-host-fixed-s")
		})
	}
}

// restartOnce verifies a fleet of n Windows instances, restarts the
// engine, breaks one healthy host and passes until it is repaired. It
// returns the runs sent after the restart and the host's wait.
func restartOnce(b *testing.B, n int) (runs int, wait time.Duration) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: n, TasksPerInstance: 5, Seed: 7})
	env := simtest.New(b, sc, simtest.Options{})
	defer env.Close()
	timing := fleetsim.SSMTiming{Delivery: 2 * time.Second, Execution: 30 * time.Second}
	env.Sim.SetSSMTiming(timing)
	spec := env.Spec(b, v1alpha1.ModeEnforce)
	verify := spec
	verify.Remediation.MaxInFlight = int32(n) // verify the whole fleet at once
	if res := run(b, env, newEngine(env), policy, verify, 100, settled); !settled(res) {
		b.Fatalf("fleet did not settle: %v", res.HostStates)
	}
	victim := healthyHost(b, env)
	before := env.Sim.Calls().Get("ssm", "SendCommand").Calls
	sentBefore := sentTo(env)

	restarted := newEngine(env)
	if _, err := env.Sim.StartTask(victim, "web", false); err != nil {
		b.Fatal(err)
	}
	brokeAt := env.Clock.Now()
	b.StartTimer()
	for range 1000 {
		res, err := restarted.Pass(b.Context(), policy, spec)
		if err != nil {
			b.Fatal(err)
		}
		env.Clock.Step(res.RequeueAfter)
		if h, _ := env.Sim.HostState(victim); h.ContainersLackingRoute == 0 {
			b.StopTimer()
			for id, k := range sentTo(env) {
				runs += k - sentBefore[id]
			}
			if env.Sim.Calls().Get("ssm", "SendCommand").Calls == before {
				b.Fatalf("%s was repaired without a command", victim)
			}
			return runs, env.Clock.Now().Sub(brokeAt)
		}
	}
	b.Fatalf("%s was not repaired in 1,000 passes", victim)
	return 0, 0
}

// healthyHost is a Windows instance the settled fleet left healthy.
func healthyHost(b *testing.B, env *simtest.Env) string {
	b.Helper()
	for _, id := range env.Sim.Instances(simWindows) {
		h, ok := env.Sim.HostState(id)
		if ok && h.ContainersLackingRoute == 0 && h.ProxyHealthy && h.SSMOnline && h.AgentConnected && h.TaskRoles {
			return id
		}
	}
	b.Fatal("no healthy host after the fleet settled")
	return ""
}
