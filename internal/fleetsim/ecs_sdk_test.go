package fleetsim_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

func TestListContainerInstancesPaginatesWithFilter(t *testing.T) {
	e := newEnvFor(t, scenario.Generate(scenario.Size{WindowsInstances: 250, TasksPerInstance: 2, Clusters: 1, Seed: 3}), fleetsim.Options{})
	pages := ecs.NewListContainerInstancesPaginator(e.ecs, &ecs.ListContainerInstancesInput{
		Cluster:    aws.String("windows-01"),
		Filter:     aws.String("attribute:ecs.os-type == windows"),
		MaxResults: aws.Int32(100),
	})
	var arns []string
	calls := 0
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		calls++
		arns = append(arns, out.ContainerInstanceArns...)
	}
	if len(arns) != 250 || calls != 3 {
		t.Fatalf("got %d ARNs in %d pages, want 250 in 3", len(arns), calls)
	}
	// At least 3: an attempt lost to the SDK's request-body race (see
	// newEnvFor) is answered, and counted, by the simulator too.
	if got := e.sim.Calls().Get("ecs", "ListContainerInstances").Calls; got < 3 || got > 4 {
		t.Fatalf("simulator counted %d calls, want 3", got)
	}
	seen := map[string]bool{}
	for _, a := range arns {
		if seen[a] {
			t.Fatalf("duplicate ARN %s across pages", a)
		}
		seen[a] = true
	}
}

func TestFilterSelectsByAttribute(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	tests := map[string]struct {
		filter string
		want   int
	}{
		"windows":             {"attribute:ecs.os-type == windows", 10},
		"linux":               {"attribute:ecs.os-type == linux", 0}, // the linux cluster is another cluster
		"task roles":          {"attribute:com.amazonaws.ecs.capability.task-iam-role exists", 8},
		"no task roles":       {"attribute:com.amazonaws.ecs.capability.task-iam-role not_exists", 2},
		"family in list":      {"attribute:ecs.os-family in [WINDOWS_SERVER_2019_FULL, WINDOWS_SERVER_2016_FULL]", 2},
		"and":                 {"attribute:ecs.os-type == windows and attribute:ecs.os-family == WINDOWS_SERVER_2022_CORE", 8},
		"or":                  {"attribute:ecs.os-family == WINDOWS_SERVER_2022_CORE or attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL", 10},
		"not equal":           {"attribute:ecs.os-family != WINDOWS_SERVER_2022_CORE", 2},
		"unknown attr equals": {"attribute:nope == x", 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), Filter: aws.String(tc.filter)})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.ContainerInstanceArns) != tc.want {
				t.Fatalf("%q matched %d, want %d", tc.filter, len(out.ContainerInstanceArns), tc.want)
			}
		})
	}
}

func TestDescribeContainerInstancesShapes(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	list, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows")})
	if err != nil {
		t.Fatal(err)
	}
	missing := "arn:aws:ecs:us-east-1:123456789012:container-instance/windows/0123456789abcdef0123456789abcdef"
	out, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{
		Cluster:            aws.String("windows"),
		ContainerInstances: append(list.ContainerInstanceArns, missing),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ContainerInstances) != 10 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("got %d instances and failures %+v", len(out.ContainerInstances), out.Failures)
	}
	ci := out.ContainerInstances[0]
	if aws.ToString(ci.Ec2InstanceId) == "" || !ci.AgentConnected || aws.ToString(ci.Status) != "ACTIVE" || ci.RegisteredAt == nil {
		t.Fatalf("instance fields missing: %+v", ci)
	}
	if aws.ToString(ci.VersionInfo.AgentVersion) == "" {
		t.Fatal("versionInfo.agentVersion missing")
	}
	attrs := map[string]string{}
	for _, a := range ci.Attributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if attrs["ecs.os-type"] != "windows" || attrs["ecs.os-family"] != "WINDOWS_SERVER_2022_CORE" {
		t.Fatalf("attributes %v", attrs)
	}
	if _, ok := attrs["com.amazonaws.ecs.capability.task-iam-role"]; !ok {
		t.Fatalf("task-role capability missing from %v", attrs)
	}
	var ports []string
	for _, r := range ci.RegisteredResources {
		if aws.ToString(r.Name) == "PORTS" {
			ports = r.StringSetValue
		}
	}
	if len(ports) == 0 || ports[0] != "80" {
		t.Fatalf("PORTS %v, want 80 reserved first on a task-role instance", ports)
	}
}

func TestECSValidationErrors(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	tooMany := make([]string, 101)
	for i := range tooMany {
		tooMany[i] = "x"
	}
	requireAPIErrors(t, map[string]apiErrorCase{
		"unknown cluster": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("nope")})
			return err
		}, "ClusterNotFoundException"},
		"maxResults above 100": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException"},
		"bad filter": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), Filter: aws.String("attribute:x ~~ y")})
			return err
		}, "InvalidParameterException"},
		"bad token": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), NextToken: aws.String("garbage")})
			return err
		}, "InvalidParameterException"},
		"describe 101": {func() error {
			_, err := e.ecs.DescribeContainerInstances(ctx(t), &ecs.DescribeContainerInstancesInput{Cluster: aws.String("windows"), ContainerInstances: tooMany})
			return err
		}, "InvalidParameterException"},
		"describe tasks 101": {func() error {
			_, err := e.ecs.DescribeTasks(ctx(t), &ecs.DescribeTasksInput{Cluster: aws.String("windows"), Tasks: tooMany})
			return err
		}, "InvalidParameterException"},
		"unknown task definition": {func() error {
			_, err := e.ecs.DescribeTaskDefinition(ctx(t), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("nope:9")})
			return err
		}, "ClientException"},
		"reserved attribute": {func() error {
			_, err := e.ecs.PutAttributes(ctx(t), &ecs.PutAttributesInput{Cluster: aws.String("windows"), Attributes: []ecstypes.Attribute{{Name: aws.String("ecs.os-type"), TargetId: aws.String("x")}}})
			return err
		}, "InvalidParameterException"},
		"unknown target": {func() error {
			_, err := e.ecs.PutAttributes(ctx(t), &ecs.PutAttributesInput{Cluster: aws.String("windows"), Attributes: []ecstypes.Attribute{{Name: aws.String("ecswin.io/credentials"), Value: aws.String("ready"), TargetType: ecstypes.TargetTypeContainerInstance, TargetId: aws.String("nope")}}})
			return err
		}, "TargetNotFoundException"},
	})
	var notFound *ecstypes.ClusterNotFoundException
	_, err := e.ecs.DescribeTasks(ctx(t), &ecs.DescribeTasksInput{Cluster: aws.String("nope"), Tasks: []string{"x"}})
	if !errors.As(err, &notFound) {
		t.Fatalf("got %T %v, want the modeled ClusterNotFoundException", err, err)
	}
}
