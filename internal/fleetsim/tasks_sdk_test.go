package fleetsim_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

func TestTasksAndTaskDefinitions(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	var arns []string
	pages := ecs.NewListTasksPaginator(e.ecs, &ecs.ListTasksInput{Cluster: aws.String("windows"), MaxResults: aws.Int32(10)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, out.TaskArns...)
	}
	if len(arns) != 26 {
		t.Fatalf("%d tasks, want 26", len(arns))
	}
	out, err := e.ecs.DescribeTasks(ctx(t), &ecs.DescribeTasksInput{Cluster: aws.String("windows"), Tasks: arns})
	if err != nil {
		t.Fatal(err)
	}
	port80 := 0
	for _, task := range out.Tasks {
		if task.StartedAt == nil || task.StartedAt.After(t0) || aws.ToString(task.ContainerInstanceArn) == "" || aws.ToString(task.LastStatus) != "RUNNING" {
			t.Fatalf("task fields: %+v", task)
		}
		td, err := e.ecs.DescribeTaskDefinition(ctx(t), &ecs.DescribeTaskDefinitionInput{TaskDefinition: task.TaskDefinitionArn})
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range td.TaskDefinition.ContainerDefinitions {
			for _, pm := range cd.PortMappings {
				if aws.ToInt32(pm.HostPort) == 80 {
					port80++
				}
			}
		}
		if aws.ToString(td.TaskDefinition.Family) == "vpc" && td.TaskDefinition.NetworkMode != ecstypes.NetworkModeAwsvpc {
			t.Fatalf("vpc family network mode %q", td.TaskDefinition.NetworkMode)
		}
	}
	if port80 != 2 {
		t.Fatalf("%d tasks hold host port 80, want 2 (on the instances without task roles)", port80)
	}

	// Per-instance listing and a task started later.
	inst := e.sim.Instances(fleetsim.InstanceFilter{Cluster: "windows"})[0]
	st, _ := e.sim.HostState(inst)
	e.clock.Step(time.Minute)
	newARN, err := e.sim.StartTask(inst, "web", false)
	if err != nil {
		t.Fatal(err)
	}
	byInst, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("windows"), ContainerInstance: aws.String(st.ContainerInstanceARN)})
	if err != nil {
		t.Fatal(err)
	}
	if len(byInst.TaskArns) != st.RunningTasks+1 || byInst.TaskArns[len(byInst.TaskArns)-1] != newARN {
		t.Fatalf("instance tasks %v, want %d ending with %s", byInst.TaskArns, st.RunningTasks+1, newARN)
	}
	after, _ := e.sim.HostState(inst)
	if after.ContainersLackingRoute != st.ContainersLackingRoute+1 {
		t.Fatalf("a task started without the route: lacking %d -> %d", st.ContainersLackingRoute, after.ContainersLackingRoute)
	}
	defs, err := e.ecs.ListTaskDefinitions(ctx(t), &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("web")})
	if err != nil || len(defs.TaskDefinitionArns) != 1 {
		t.Fatalf("task definitions %v %v", defs, err)
	}
}

func TestAttributesRoundTrip(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	st, _ := e.sim.HostState(e.sim.Instances(fleetsim.InstanceFilter{Cluster: "windows"})[0])
	const name = "ecswin.io/credentials"
	put := func(value string) {
		if _, err := e.ecs.PutAttributes(ctx(t), &ecs.PutAttributesInput{Cluster: aws.String("windows"), Attributes: []ecstypes.Attribute{
			{Name: aws.String(name), Value: aws.String(value), TargetType: ecstypes.TargetTypeContainerInstance, TargetId: aws.String(st.ContainerInstanceARN)},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(value string) int {
		in := &ecs.ListAttributesInput{Cluster: aws.String("windows"), TargetType: ecstypes.TargetTypeContainerInstance, AttributeName: aws.String(name)}
		if value != "" {
			in.AttributeValue = aws.String(value)
		}
		out, err := e.ecs.ListAttributes(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Attributes)
	}
	put("ready")
	if list("ready") != 1 || list("") != 1 {
		t.Fatal("attribute not listed")
	}
	filtered, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), Filter: aws.String("attribute:" + name + " == ready")})
	if err != nil || len(filtered.ContainerInstanceArns) != 1 {
		t.Fatalf("filter on the custom attribute: %v %v", filtered, err)
	}
	put("broken")
	if list("ready") != 0 {
		t.Fatal("old value still listed")
	}
	if _, err := e.ecs.DeleteAttributes(ctx(t), &ecs.DeleteAttributesInput{Cluster: aws.String("windows"), Attributes: []ecstypes.Attribute{
		{Name: aws.String(name), TargetId: aws.String(st.ContainerInstanceARN)},
	}}); err != nil {
		t.Fatal(err)
	}
	if list("") != 0 {
		t.Fatal("attribute not deleted")
	}
	all, err := e.ecs.ListAttributes(ctx(t), &ecs.ListAttributesInput{Cluster: aws.String("windows"), TargetType: ecstypes.TargetTypeContainerInstance, MaxResults: aws.Int32(100)})
	if err != nil || len(all.Attributes) == 0 || all.NextToken == nil {
		t.Fatalf("listing every attribute should take more than a page of 100: %d %v", len(all.Attributes), err)
	}
}

func TestScenarioEventsRebootAndMembership(t *testing.T) {
	s, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	s.Events = append(s.Events,
		eventAt(10*time.Second, "reboot", 2, "windows"),
		eventAt(20*time.Second, "register", 3, "windows"),
		eventAt(20*time.Second, "deregister", 1, "linux"),
	)
	e := newEnvFor(t, s, fleetsim.Options{})
	before := e.sim.FleetSummary()
	e.clock.Step(11 * time.Second)
	fired := e.sim.FiredEvents()
	if len(fired) != 1 || len(fired[0].Instances) != 2 {
		t.Fatalf("fired %+v", fired)
	}
	for _, id := range fired[0].Instances {
		st, _ := e.sim.HostState(id)
		if st.ProxyHealthy || st.Reboots != 1 {
			t.Fatalf("rebooted host %+v", st)
		}
	}
	e.clock.Step(10 * time.Second)
	after := e.sim.FleetSummary()
	if after.Instances != before.Instances+3-1 {
		t.Fatalf("instances %d -> %d, want +3 -1", before.Instances, after.Instances)
	}
	out, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("linux")})
	if err != nil || len(out.ContainerInstanceArns) != 1 {
		t.Fatalf("listed linux instances %v %v, want the one left", out, err)
	}
	gone := e.sim.FiredEvents()[2].Instances[0]
	st, _ := e.sim.HostState(gone)
	desc, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{Cluster: aws.String("linux"), ContainerInstances: []string{st.ContainerInstanceARN}})
	if err != nil || len(desc.ContainerInstances) != 1 || aws.ToString(desc.ContainerInstances[0].Status) != "INACTIVE" {
		t.Fatalf("deregistered instance %+v %v", desc, err)
	}
}
