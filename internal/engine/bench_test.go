package engine_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/simtest"
)

// BenchmarkFullPass measures the first pass of a fresh engine over a
// fresh simulated account: recovery, inventory, task definitions, SSM
// reachability, the SSM document, and a command to every host. Each
// iteration gets its own simulator (built outside the timer) so every
// pass does the same work.
//
//	go test ./internal/engine -run '^$' -bench FullPass -benchtime 1x
func BenchmarkFullPass(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, latency := range []time.Duration{0, 20 * time.Millisecond} {
			b.Run(fmt.Sprintf("instances=%d/latency=%s", n, latency), func(b *testing.B) {
				benchFullPass(b, n, latency)
			})
		}
	}
}

// BenchmarkFirstPassDefaultCap is BenchmarkFullPass's 10,000 instances
// with 20 ms of latency, at the CRD's default in-flight cap (200) instead
// of the fleet's size: what sending while the tasks are still listed would
// buy at default settings (one round trip of SendCommand batches).
//
//	go test ./internal/engine -run '^$' -bench FirstPassDefaultCap -benchtime 1x
func BenchmarkFirstPassDefaultCap(b *testing.B) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: 10000, TasksPerInstance: 5, Seed: 7})
	_, seqPages := lowerBound(sc)
	latency := 20 * time.Millisecond
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		env := simtest.New(b, sc, simtest.Options{})
		env.Sim.SetLatency(latency)
		spec := env.Spec(b, v1alpha1.ModeEnforce)
		eng := newEngine(env)
		b.StartTimer()
		res, err := eng.Pass(context.Background(), policy, spec)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.HostsTargeted != int(spec.Remediation.MaxInFlight) {
			b.Fatalf("targeted %d hosts, want the cap %d", res.HostsTargeted, spec.Remediation.MaxInFlight)
		}
		env.Close()
	}
	seq := time.Duration(seqPages) * latency
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(seq), "pass/seq")
}

func benchFullPass(b *testing.B, n int, latency time.Duration) {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: n, TasksPerInstance: 5, Seed: 7})
	lower, seqPages := lowerBound(sc)
	b.ReportAllocs()
	var calls, heapAfter, engineHeap float64
	var cpu time.Duration
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		env := simtest.New(b, sc, simtest.Options{})
		env.Sim.SetLatency(latency)
		spec := env.Spec(b, v1alpha1.ModeEnforce)
		spec.Remediation.MaxInFlight = int32(n)
		eng := newEngine(env)
		base := heapMiB()

		cpu0 := processCPU()
		b.StartTimer()
		res, err := eng.Pass(context.Background(), policy, spec)
		b.StopTimer()
		cpu += processCPU() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if int(res.Counts.WindowsInstances) != n || res.HostsTargeted != n {
			b.Fatalf("pass saw %d instances and targeted %d, want %d", res.Counts.WindowsInstances, res.HostsTargeted, n)
		}
		calls += float64(env.CallsTotal())
		after := heapMiB()
		heapAfter += after
		engineHeap += after - base
		runtime.KeepAlive(eng)
		env.Close()
	}
	perOp := func(v float64) float64 { return v / float64(b.N) }
	b.ReportMetric(perOp(calls), "calls/pass")
	b.ReportMetric(float64(lower), "lowerbound/pass")
	b.ReportMetric(perOp(calls)/float64(lower), "calls/lowerbound")
	b.ReportMetric(perOp(heapAfter), "heap-MiB")
	b.ReportMetric(perOp(engineHeap), "engine-heap-MiB")
	b.ReportMetric(perOp(float64(cpu.Milliseconds())), "cpu-ms")
	if latency > 0 {
		seq := time.Duration(seqPages) * latency
		b.ReportMetric(float64(seq.Milliseconds()), "seq-ms")
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "pass-ms")
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(seq), "pass/seq")
	}
}

// BenchmarkFollowUpPasses measures the passes after the first: the one
// that reads every host's finished run (and marks the healthy hosts
// ready), then a steady one with nothing to do but the inventory.
//
//	go test ./internal/engine -run '^$' -bench FollowUp -benchtime 1x
func BenchmarkFollowUpPasses(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: n, TasksPerInstance: 5, Seed: 7})
			full, _ := lowerBound(sc)
			pages := func(v, size int) int { return (v + size - 1) / size }
			// The inventory alone: the full pass less recovery, the
			// document, the sends, and the task definitions and tasks
			// (both cached: nothing new started).
			inventory := full - 1 - len(sc.TaskDefinitions) - 2 - pages(n, 50) - taskDescribes(sc)
			var readCalls, steadyCalls float64
			b.StopTimer()
			for i := 0; i < b.N; i++ {
				env := simtest.New(b, sc, simtest.Options{})
				spec := env.Spec(b, v1alpha1.ModeEnforce)
				spec.Remediation.MaxInFlight = int32(n)
				eng := newEngine(env)
				if _, err := eng.Pass(context.Background(), policy, spec); err != nil {
					b.Fatal(err)
				}
				for _, calls := range []*float64{&readCalls, &steadyCalls} {
					env.Clock.Step(spec.Intervals.Inventory.Duration)
					env.Sim.ResetCalls()
					b.StartTimer()
					res, err := eng.Pass(context.Background(), policy, spec)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					if res.HostStates["Healthy"] != n {
						b.Fatalf("states %v, want %d healthy", res.HostStates, n)
					}
					*calls += float64(env.CallsTotal())
				}
				env.Close()
			}
			b.ReportMetric(readCalls/float64(b.N), "read-calls/pass")
			b.ReportMetric(float64(inventory+pages(n, 50)+pages(n, 10)), "read-lowerbound/pass")
			b.ReportMetric(steadyCalls/float64(b.N), "steady-calls/pass")
			b.ReportMetric(float64(inventory), "steady-lowerbound/pass")
		})
	}
}

// lowerBound is the fewest calls the pass's work needs, in pages of 100
// and batches of 50 (services: pages of 100, describes of 10), and the
// longest chain of calls that must follow one another: DescribeClusters,
// a cluster's list pages (each needs the last one's token), the describe
// of the last page, then SendCommand.
func lowerBound(sc *fleetsim.Scenario) (calls, seqPages int) {
	pages := func(n, size int) int { return (n + size - 1) / size }
	hosts := 0
	longest := 0
	calls = 1 + pages(len(sc.Clusters), 100) // ListCommands, DescribeClusters
	for _, cl := range sc.Clusters {
		nc, tc := 0, 0
		for _, g := range cl.Groups {
			if scenario.IsWindows(g.OSFamily) {
				nc += g.Count
				tc += g.Count * g.TasksPerInstance
			}
		}
		hosts += nc
		calls += 2*pages(nc, 100) + 2*pages(tc, 100)
		// ListServices answers even an empty cluster; then DescribeServices.
		svcs := services(cl)
		calls += max(1, pages(svcs, 100)) + pages(svcs, 10)
		longest = max(longest, pages(nc, 100), pages(tc, 100))
	}
	calls += len(sc.TaskDefinitions) // DescribeTaskDefinition, once per revision
	calls += pages(hosts, 50)        // DescribeInstanceInformation
	calls += 2                       // DescribeDocument, CreateDocument
	calls += pages(hosts, 50)        // SendCommand
	return calls, 1 + longest + 1 + 1
}

// services counts a scenario cluster's services: those it declares, and
// one per family its groups place (the simulator derives them).
func services(cl scenario.Cluster) int {
	names := map[string]bool{}
	for _, s := range cl.Services {
		names[s.Name] = true
	}
	for _, g := range cl.Groups {
		if g.Count == 0 || g.TasksPerInstance == 0 {
			continue
		}
		for fam, w := range g.TaskMix {
			if w > 0 {
				names[fam] = true
			}
		}
	}
	return len(names)
}

// taskDescribes is the DescribeTasks calls a first inventory needs.
func taskDescribes(sc *fleetsim.Scenario) int {
	n := 0
	for _, cl := range sc.Clusters {
		tc := 0
		for _, g := range cl.Groups {
			if scenario.IsWindows(g.OSFamily) {
				tc += g.Count * g.TasksPerInstance
			}
		}
		n += (tc + 99) / 100
	}
	return n
}

func heapMiB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}
