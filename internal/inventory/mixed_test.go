package inventory_test

import (
	"context"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

const mixedCluster = `
name: mixed
seed: 5
taskDefinitions:
- family: win
  taskRoleArn: arn:aws:iam::123456789012:role/win
  containers: [{name: win}]
- family: lin
  networkMode: bridge
  containers: [{name: lin, portMappings: [{containerPort: 80, hostPort: 80}]}]
clusters:
- name: mixed
  groups:
  - {count: 3, osFamily: WINDOWS_SERVER_2022_CORE, taskRoleShare: 1, tasksPerInstance: 2, taskMix: {win: 1}}
  - {count: 4, osFamily: LINUX, tasksPerInstance: 3, taskMix: {lin: 1}}
`

// In a cluster of both OSes only the Windows hosts, their tasks and
// their task definitions are kept; Linux tasks cost a describe (ECS
// cannot filter them out) but never a task-definition fetch.
func TestCollectMixedCluster(t *testing.T) {
	sc, err := scenario.Parse([]byte(mixedCluster))
	if err != nil {
		t.Fatal(err)
	}
	env, c, clusters := simCollector(t, sc)
	fleet, err := c.Collect(context.Background(), clusters)
	if err != nil {
		t.Fatal(err)
	}
	got := fleet.Clusters[0]
	if len(got.Hosts) != 3 || len(got.Tasks) != 6 || got.RegisteredInstances != 7 {
		t.Errorf("hosts %d tasks %d registered %d, want 3, 6 and 7", len(got.Hosts), len(got.Tasks), got.RegisteredInstances)
	}
	if len(fleet.TaskDefinitions) != 1 || env.Sim.Calls().Get("ecs", "DescribeTaskDefinition").Calls != 1 {
		t.Errorf("task definitions %d (calls %d), want only the Windows one", len(fleet.TaskDefinitions), env.Sim.Calls().Get("ecs", "DescribeTaskDefinition").Calls)
	}
	if len(fleet.Problems) != 0 {
		t.Errorf("problems: %+v", fleet.Problems)
	}
}
