package memos_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/memos"
)

// retainedBytes measures the live heap that build leaves behind.
func retainedBytes(build func() any) (uint64, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.HeapAlloc - before.HeapAlloc, kept
}

// BenchmarkHostMemory reports the retained heap of a simulated host with
// five NAT containers (IDs and task ARNs included), per host and per
// container, the figures the fleet simulator's sizing rests on.
func BenchmarkHostMemory(b *testing.B) {
	const hosts, perHost = 2000, 5
	build := func(containers int) func() any {
		return func() any {
			hs := make([]*memos.Host, hosts)
			for i := range hs {
				hs[i] = memos.NewHost(memos.HostOptions{InstanceID: fmt.Sprintf("i-%017x", i)})
				for c := range containers {
					id := fmt.Sprintf("%064x", i*perHost+c)
					hs[i].AddContainer(memos.ContainerSpec{
						ID: id, TaskARN: "arn:aws:ecs:eu-west-1:123456789012:task/cluster/" + id[:32], WithRoute: c%2 == 0,
					})
				}
			}
			return hs
		}
	}
	var empty, full uint64
	for b.Loop() {
		var kept any
		empty, kept = retainedBytes(build(0))
		runtime.KeepAlive(kept)
		full, kept = retainedBytes(build(perHost))
		runtime.KeepAlive(kept)
	}
	b.ReportMetric(float64(empty)/hosts, "B/host-empty")
	b.ReportMetric(float64(full)/hosts, "B/host-5-containers")
	b.ReportMetric(float64(full-empty)/(hosts*perHost), "B/container")
}

// TestHostMemoryBudget keeps the in-memory host within the simulator's
// budget: under 8 KiB a host with five containers, under 1 KiB a container.
func TestHostMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	res := testing.Benchmark(BenchmarkHostMemory)
	perHost := res.Extra["B/host-5-containers"]
	perContainer := res.Extra["B/container"]
	t.Logf("%.0f B per host with 5 containers, %.0f B per container", perHost, perContainer)
	if perHost >= 8<<10 || perContainer >= 1<<10 {
		t.Errorf("over budget: %.0f B per host, %.0f B per container", perHost, perContainer)
	}
}
