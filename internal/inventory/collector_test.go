package inventory_test

import (
	"context"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/simtest"
)

// The collector reads the small scenario exactly and in the fewest calls;
// a second pass fetches no task definition again.
func TestCollectSmallFleet(t *testing.T) {
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	env, c, clusters := simCollector(t, sc)
	fleet, err := c.Collect(context.Background(), append(clusters, "no-such-cluster"))
	if err != nil {
		t.Fatal(err)
	}
	hosts, tasks := 0, 0
	for _, cl := range fleet.Clusters {
		hosts += len(cl.Hosts)
		tasks += len(cl.Tasks)
		for _, h := range cl.Hosts {
			if h.SSM != inventory.SSMOnline || h.InstanceID == "" {
				t.Errorf("host %+v not online", h)
			}
		}
	}
	if hosts != 10 || tasks != 26 {
		t.Errorf("read %d Windows hosts and %d tasks, want 10 and 26", hosts, tasks)
	}
	if len(fleet.Problems) != 1 || fleet.Problems[0].Reason != inventory.ReasonClusterNotFound {
		t.Errorf("problems = %+v, want one ClusterNotFound", fleet.Problems)
	}
	calls := env.Sim.Calls()
	want := map[string]int{
		"DescribeClusters": 1, "ListContainerInstances": 2, "DescribeContainerInstances": 1,
		"ListTasks": 2, "DescribeTasks": 1, "DescribeTaskDefinition": 3, "DescribeInstanceInformation": 1,
	}
	for op, n := range want {
		svc := "ecs"
		if op == "DescribeInstanceInformation" {
			svc = "ssm"
		}
		if got := calls.Get(svc, op).Calls; got != n {
			t.Errorf("%s calls = %d, want %d", op, got, n)
		}
	}
	env.Sim.ResetCalls()
	if _, err := c.Collect(context.Background(), clusters); err != nil {
		t.Fatal(err)
	}
	if got := env.Sim.Calls().Get("ecs", "DescribeTaskDefinition").Calls; got != 0 {
		t.Errorf("second pass described %d task definitions again", got)
	}
	if got := env.Sim.Calls().Get("ecs", "DescribeTasks").Calls; got != 0 {
		t.Errorf("second pass described tasks again (%d calls)", got)
	}

	// A reboot replaces the host's tasks: only the new ones are described,
	// and the stopped ones leave the cache.
	before := c.Tasks.Len()
	if err := env.Sim.RebootHost(env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]); err != nil {
		t.Fatal(err)
	}
	env.Sim.ResetCalls()
	fleet, err = c.Collect(context.Background(), clusters)
	if err != nil {
		t.Fatal(err)
	}
	if got := env.Sim.Calls().Get("ecs", "DescribeTasks").Calls; got != 1 {
		t.Errorf("after a reboot: %d DescribeTasks calls, want 1 for the new tasks", got)
	}
	if got := c.Tasks.Len(); got != before {
		t.Errorf("cache holds %d tasks, want %d (the replaced ones gone)", got, before)
	}
	tasks = 0
	for _, cl := range fleet.Clusters {
		tasks += len(cl.Tasks)
	}
	if tasks != 26 {
		t.Errorf("read %d tasks after the reboot, want 26", tasks)
	}
}

// simCollector is a collector with fresh caches on the simulator of sc,
// and the scenario's cluster names.
func simCollector(t *testing.T, sc *fleetsim.Scenario) (*simtest.Env, *inventory.Collector, []string) {
	t.Helper()
	env := simtest.New(t, sc, simtest.Options{})
	spec := env.Spec(t, v1alpha1.ModeDryRun)
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	return env, &inventory.Collector{ECS: cl.ECS, SSM: cl.SSM, TaskDefs: inventory.NewTaskDefinitionCache(),
		Tasks: inventory.NewTaskCache(), Parallelism: 4}, spec.Clusters
}
