package fleetsim_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// Class "ARNs": failures[].arn names the resource by its ARN even when
// the request named it by ID, as ECS reports it.
func TestFailuresNameTheResourceARN(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	const missing = "0123456789abcdef0123456789abcdef"
	const prefix = "arn:aws:ecs:us-east-1:123456789012:"
	instances, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{Cluster: aws.String("windows"), ContainerInstances: []string{missing}})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := e.ecs.DescribeTasks(ctx(t), &ecs.DescribeTasksInput{Cluster: aws.String("windows"), Tasks: []string{missing}})
	if err != nil {
		t.Fatal(err)
	}
	services, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows"), Services: []string{"nope"}})
	if err != nil {
		t.Fatal(err)
	}
	clusters, err := e.ecs.DescribeClusters(ctx(t), &ecs.DescribeClustersInput{Clusters: []string{"nope"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ got, want string }{
		"container instance": {aws.ToString(instances.Failures[0].Arn), prefix + "container-instance/windows/" + missing},
		"task":               {aws.ToString(tasks.Failures[0].Arn), prefix + "task/windows/" + missing},
		"service":            {aws.ToString(services.Failures[0].Arn), prefix + "service/windows/nope"},
		"cluster":            {aws.ToString(clusters.Failures[0].Arn), prefix + "cluster/nope"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: failure ARN %q, want %q", name, tc.got, tc.want)
		}
	}
}

// Class "ARNs": an ARN of another account or region is refused, not
// served as if it named a local resource; one of another cluster is
// not found in this one.
func TestForeignARNsAreRefused(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	st := e.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows"})[0]
	requireAPIErrors(t, map[string]apiErrorCase{
		"cluster of another region": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("arn:aws:ecs:eu-west-1:123456789012:cluster/windows")})
			return err
		}, "InvalidParameterException"},
		"cluster of another account": {func() error {
			_, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("arn:aws:ecs:us-east-1:999999999999:cluster/windows")})
			return err
		}, "InvalidParameterException"},
		"an instance ARN as a cluster": {func() error {
			_, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String(st.ContainerInstanceARN)})
			return err
		}, "InvalidParameterException"},
		"instance of another account": {func() error {
			_, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{Cluster: aws.String("windows"),
				ContainerInstances: []string{"arn:aws:ecs:us-east-1:999999999999:container-instance/windows/" + id(st.ContainerInstanceARN)}})
			return err
		}, "InvalidParameterException"},
		"task definition of another region": {func() error {
			_, err := e.ecs.DescribeTaskDefinition(ctx(t), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("arn:aws:ecs:us-west-2:123456789012:task-definition/web:1")})
			return err
		}, "InvalidParameterException"},
		"a cluster name ECS does not allow": {func() error {
			_, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("windows cluster")})
			return err
		}, "InvalidParameterException"},
	})
	// The same instance named by an ARN of its cluster is found; by an ARN
	// of another cluster it is missing from this one.
	other := "arn:aws:ecs:us-east-1:123456789012:container-instance/linux/" + id(st.ContainerInstanceARN)
	out, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{Cluster: aws.String("windows"),
		ContainerInstances: []string{st.ContainerInstanceARN, other}})
	if err != nil || len(out.ContainerInstances) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != other {
		t.Fatalf("got %+v %v", out, err)
	}
}
