package engine_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/simtest"
)

func TestPassConvergesInEnforce(t *testing.T) {
	env := smallEnv(t)
	before := env.Sim.FleetSummary()
	if len(env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})) == 0 {
		t.Fatalf("scenario has no drift to repair: %+v", before)
	}
	eng := newEngine(env)
	res := run(t, env, eng, policy, env.Spec(t, v1alpha1.ModeEnforce), 30, converged)
	if !converged(res) {
		t.Fatalf("not converged after 30 passes: counts %+v states %v\n%s", res.Counts, res.HostStates, conditionsString(res))
	}
	simtest.RequireNoDriftedHosts(t, env.Sim)
	if got := res.Condition(v1alpha1.ConditionNoPortConflicts); got.Status != "False" || got.Reason != v1alpha1.ReasonConflictsFound {
		t.Errorf("NoPortConflicts = %+v, want False/%s", got, v1alpha1.ReasonConflictsFound)
	}
	if int(res.Counts.WindowsInstances) != before.WindowsHosts || int(res.Counts.ContainerInstances) != before.Instances {
		t.Errorf("counts = %+v, want the scenario's %d Windows of %d instances", res.Counts, before.WindowsHosts, before.Instances)
	}
	if got, want := readyAttributes(t, env, "windows"), len(windowsHostsOf(env, "windows")); got != want {
		t.Errorf("%d hosts carry %s=%s, want all %d of the cluster", got, inventory.ReadyAttribute, inventory.ReadyValue, want)
	}
	t.Logf("converged: counts %+v states %v calls %d", res.Counts, res.HostStates, env.CallsTotal())
}

// readyAttributes counts the cluster's hosts carrying the readiness
// attribute, asking ECS itself.
func readyAttributes(t *testing.T, env *simtest.Env, cluster string) int {
	t.Helper()
	return len(readyHosts(t, env, cluster))
}

// readyHosts lists the container-instance ARNs of cluster that carry the
// readiness attribute, as ECS answers ListAttributes.
func readyHosts(t *testing.T, env *simtest.Env, cluster string) map[string]bool {
	t.Helper()
	cl, err := env.Clients.Clients(context.Background(), env.Spec(t, v1alpha1.ModeDryRun).AWS)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cl.ECS.(*ecs.Client).ListAttributes(context.Background(), &ecs.ListAttributesInput{
		Cluster: aws.String(cluster), TargetType: ecstypes.TargetTypeContainerInstance,
		AttributeName: aws.String(inventory.ReadyAttribute), AttributeValue: aws.String(inventory.ReadyValue),
	})
	if err != nil {
		t.Fatal(err)
	}
	ready := make(map[string]bool, len(out.Attributes))
	for _, a := range out.Attributes {
		ready[aws.ToString(a.TargetId)] = true
	}
	return ready
}

// windowsHostsOf are the simulator's Windows hosts in cluster.
func windowsHostsOf(env *simtest.Env, cluster string) []fleetsim.HostState {
	return env.Sim.HostStates(fleetsim.InstanceFilter{Cluster: cluster, WindowsOnly: true})
}
