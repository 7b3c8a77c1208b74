package fleetsim_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

var size10k = scenario.Size{WindowsInstances: 10000, TasksPerInstance: 5, Seed: 7}

// BenchmarkBuild10k builds the 10,000-instance, 50,000-task fleet and
// reports the live heap it holds and the time to build it.
func BenchmarkBuild10k(b *testing.B) {
	s := scenario.Generate(size10k)
	var sim *fleetsim.Sim
	var before, after runtime.MemStats
	start := time.Now()
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		if sim, err = fleetsim.New(fleetsim.Options{}, s); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	elapsed := time.Since(start)
	sum := sim.FleetSummary()
	if sum.Instances != 10000 || sum.RunningTasks != 50000 {
		b.Fatalf("built %d instances and %d tasks", sum.Instances, sum.RunningTasks)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MiB")
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "build-ms")

	// Every host's in-memory OS exists once a command has reached it.
	for _, id := range sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true}) {
		sim.HostOS(id)
	}
	var full runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&full)
	b.ReportMetric(float64(full.HeapAlloc-before.HeapAlloc)/(1<<20), "live-with-host-OS-MiB")
	runtime.KeepAlive(sim)
}

// BenchmarkRequests10k measures the simulator's own cost per request at
// 10,000 instances (no latency, no network: the handler is called
// directly), for a page of ListContainerInstances with the Windows
// filter and a DescribeContainerInstances of 100.
func BenchmarkRequests10k(b *testing.B) {
	sim, err := fleetsim.New(fleetsim.Options{}, scenario.Generate(size10k))
	if err != nil {
		b.Fatal(err)
	}
	url, stop := sim.Start()
	defer stop()
	client := ecs.NewFromConfig(awsConfig(1), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
	list, err := client.ListContainerInstances(b.Context(), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows-01")})
	if err != nil {
		b.Fatal(err)
	}
	describeBody := `{"cluster":"windows-01","containerInstances":["` + strings.Join(list.ContainerInstanceArns, `","`) + `"]}`
	h := sim.Handler()
	do := func(b *testing.B, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", op, rec.Code, rec.Body)
		}
	}
	b.Run("ListContainerInstances", func(b *testing.B) {
		body := `{"cluster":"windows-01","filter":"attribute:ecs.os-type == windows","maxResults":100}`
		for b.Loop() {
			do(b, "ListContainerInstances", body)
		}
	})
	b.Run("DescribeContainerInstances100", func(b *testing.B) {
		for b.Loop() {
			do(b, "DescribeContainerInstances", describeBody)
		}
	})
	tasks, err := client.ListTasks(b.Context(), &ecs.ListTasksInput{Cluster: aws.String("windows-01")})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("DescribeTasks100", func(b *testing.B) {
		body := `{"cluster":"windows-01","tasks":["` + strings.Join(tasks.TaskArns, `","`) + `"]}`
		for b.Loop() {
			do(b, "DescribeTasks", body)
		}
	})
	b.Run("ListTasksPerInstance", func(b *testing.B) {
		body := `{"cluster":"windows-01","containerInstance":"` + list.ContainerInstanceArns[0] + `"}`
		for b.Loop() {
			do(b, "ListTasks", body)
		}
	})
}
