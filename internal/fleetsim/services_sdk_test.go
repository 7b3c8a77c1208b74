package fleetsim_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// servicesScenario is one cluster with the four services derived from its
// placed families and declared extra services that never run (their
// family is in no task mix).
func servicesScenario(extra int) *scenario.Scenario {
	s := scenario.Generate(scenario.Size{WindowsInstances: 20, TasksPerInstance: 2, Clusters: 1, Seed: 5})
	s.TaskDefinitions = append(s.TaskDefinitions, scenario.TaskDefinition{Family: "iis",
		Containers: []scenario.Container{{Name: "iis", PortMappings: []scenario.PortMapping{{ContainerPort: 80, HostPort: 80}}}}})
	for i := range extra {
		s.Clusters[0].Services = append(s.Clusters[0].Services, scenario.Service{Name: fmt.Sprintf("iis-%03d", i), TaskDefinition: "iis", DesiredCount: 3})
	}
	return s
}

func listAllServices(t *testing.T, e *env, cluster string, size int32) (arns []string, pages int) {
	t.Helper()
	p := ecs.NewListServicesPaginator(e.ecs, &ecs.ListServicesInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(size)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		arns = append(arns, out.ServiceArns...)
	}
	return arns, pages
}

func TestListServicesPaginates(t *testing.T) {
	e := newEnvFor(t, servicesScenario(246), fleetsim.Options{})
	tests := map[string]struct {
		size      int32
		wantPages int
	}{
		"pages of 100": {100, 3},
		"pages of 7":   {7, 36},
		"pages of 50":  {50, 5},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			arns, pages := listAllServices(t, e, "windows-01", tc.size)
			if len(arns) != 250 || pages != tc.wantPages {
				t.Fatalf("got %d services in %d pages, want 250 in %d", len(arns), pages, tc.wantPages)
			}
			seen := map[string]bool{}
			for _, a := range arns {
				if seen[a] {
					t.Fatalf("duplicate service %s", a)
				}
				seen[a] = true
			}
		})
	}
}

func TestDescribeServicesInBatchesOfTen(t *testing.T) {
	e := newEnvFor(t, servicesScenario(26), fleetsim.Options{})
	arns, _ := listAllServices(t, e, "windows-01", 100)
	byName := map[string]ecstypes.Service{}
	for start := 0; start < len(arns); start += 10 {
		out, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: arns[start:min(start+10, len(arns))]})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Failures) != 0 {
			t.Fatalf("unexpected failures %v", out.Failures)
		}
		for _, s := range out.Services {
			byName[aws.ToString(s.ServiceName)] = s
		}
	}
	if len(byName) != 30 {
		t.Fatalf("described %d services, want 30", len(byName))
	}
	derived := byName["web"]
	if derived.DesiredCount == 0 || derived.DesiredCount != derived.RunningCount || aws.ToString(derived.Status) != "ACTIVE" ||
		aws.ToString(derived.TaskDefinition) != "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1" ||
		aws.ToString(derived.ClusterArn) != "arn:aws:ecs:us-east-1:123456789012:cluster/windows-01" {
		t.Fatalf("derived service web: %+v", derived)
	}
	declared := byName["iis-000"]
	if declared.DesiredCount != 3 || declared.RunningCount != 0 || declared.PendingCount != 0 ||
		aws.ToString(declared.ServiceArn) != "arn:aws:ecs:us-east-1:123456789012:service/windows-01/iis-000" {
		t.Fatalf("declared never-placing service: %+v", declared)
	}
	// The running tasks of a derived service are what ListTasks finds for it.
	tasks, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("windows-01"), ServiceName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if int32(len(tasks.TaskArns)) != derived.RunningCount {
		t.Fatalf("ListTasks found %d tasks of web, service says %d running", len(tasks.TaskArns), derived.RunningCount)
	}
}

func TestDescribeServicesReportsUnknownAsFailures(t *testing.T) {
	e := newEnvFor(t, servicesScenario(1), fleetsim.Options{})
	out, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: []string{"iis-000", "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Services) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" ||
		aws.ToString(out.Failures[0].Arn) != "arn:aws:ecs:us-east-1:123456789012:service/windows-01/nope" {
		t.Fatalf("got services %d, failures %+v", len(out.Services), out.Failures)
	}
}

func TestServiceValidationErrors(t *testing.T) {
	e := newEnvFor(t, servicesScenario(1), fleetsim.Options{})
	eleven := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	requireAPIErrors(t, map[string]apiErrorCase{
		"list: unknown cluster": {func() error {
			_, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String("nope")})
			return err
		}, "ClusterNotFoundException"},
		"list: maxResults above 100": {func() error {
			_, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String("windows-01"), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException"},
		"list: bad token": {func() error {
			_, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String("windows-01"), NextToken: aws.String("garbage")})
			return err
		}, "InvalidParameterException"},
		"describe: eleven services": {func() error {
			_, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: eleven})
			return err
		}, "InvalidParameterException"},
		"describe: no services": {func() error {
			_, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: []string{}})
			return err
		}, "InvalidParameterException"},
		"describe: unknown cluster": {func() error {
			_, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("nope"), Services: []string{"web"}})
			return err
		}, "ClusterNotFoundException"},
	})
}

func TestDemoStorefrontNeverPlaces(t *testing.T) {
	e := newEnv(t, "demo", fleetsim.Options{})
	out, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("prod-windows"), Services: []string{"storefront", "web"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Services) != 2 {
		t.Fatalf("got %+v", out)
	}
	for _, s := range out.Services {
		switch aws.ToString(s.ServiceName) {
		case "storefront":
			if s.DesiredCount != 2 || s.RunningCount != 0 {
				t.Fatalf("storefront: desired %d running %d, want 2 and 0", s.DesiredCount, s.RunningCount)
			}
		case "web":
			if s.RunningCount == 0 {
				t.Fatal("web runs no task")
			}
		}
	}
}
