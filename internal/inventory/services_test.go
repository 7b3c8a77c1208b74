package inventory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/inventory"
)

// The demo's storefront service never places a task (host port 80 on a
// cluster with task roles on everywhere): only its service names its task
// definition, which the collector fetches. Linux services of clusters
// without Windows hosts are left out, and nothing of theirs is fetched.
func TestCollectServices(t *testing.T) {
	sc, err := fleetsim.BuiltinScenario("demo")
	if err != nil {
		t.Fatal(err)
	}
	env, c, clusters := simCollector(t, sc)
	fleet, err := c.Collect(context.Background(), clusters)
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]*inventory.Service{}
	for _, cl := range fleet.Clusters {
		if cl.ServicesIncomplete {
			t.Errorf("cluster %s: services incomplete: %+v", cl.Name, fleet.Problems)
		}
		for _, s := range cl.Services {
			services[cl.Name+"/"+s.Name] = s
		}
	}
	store := services["prod-windows/storefront"]
	if store == nil || store.DesiredCount != 2 || store.RunningCount != 0 {
		t.Fatalf("storefront = %+v, want desired 2 running 0", store)
	}
	if td := fleet.TaskDefinitions[store.TaskDefinitionARN]; td == nil || len(td.HostPort80Containers) != 1 {
		t.Fatalf("storefront's task definition %q not collected with its port 80: %+v", store.TaskDefinitionARN, td)
	}
	if s := services["linux-services/linux-app"]; s != nil {
		t.Errorf("the Linux service was kept: %+v", s)
	}
	for _, td := range fleet.TaskDefinitions {
		if td.Family == "linux-app" {
			t.Errorf("the Linux service's task definition was fetched")
		}
	}
	calls := env.Sim.Calls()
	// One page of services per cluster; prod-windows has storefront and
	// the four families placed there (5), legacy-windows five, linux one.
	if got := calls.Get("ecs", "ListServices").Calls; got != 3 {
		t.Errorf("ListServices calls = %d, want 3", got)
	}
	if got := calls.Get("ecs", "DescribeServices").Calls; got != 3 {
		t.Errorf("DescribeServices calls = %d, want 3", got)
	}
}

// brokenServices answers the service calls badly; every other call goes
// to the simulator.
type brokenServices struct {
	awsapi.ECSAPI
	listErr, describeErr error
	describe             *ecs.DescribeServicesOutput
}

func (b *brokenServices) ListServices(ctx context.Context, in *ecs.ListServicesInput, optFns ...func(*ecs.Options)) (*ecs.ListServicesOutput, error) {
	if b.listErr != nil {
		return nil, b.listErr
	}
	return b.ECSAPI.ListServices(ctx, in, optFns...)
}

func (b *brokenServices) DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, optFns ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	if b.describeErr != nil || b.describe != nil {
		return b.describe, b.describeErr
	}
	return b.ECSAPI.DescribeServices(ctx, in, optFns...)
}

// A service call that fails, or an answer missing fields, marks the
// cluster's services incomplete with a problem; hosts and tasks stay
// whole and nothing panics.
func TestServicesFailuresMarkIncomplete(t *testing.T) {
	tests := map[string]struct {
		broken brokenServices
		want   string
	}{
		"list fails":     {brokenServices{listErr: errors.New("boom")}, "listing services failed"},
		"describe fails": {brokenServices{describeErr: errors.New("boom")}, "describing services failed"},
		"missing fields": {brokenServices{describe: &ecs.DescribeServicesOutput{Services: []ecstypes.Service{{}, {ServiceArn: aws.String("arn:x")}}}}, "without an ARN or task definition"},
		"failures":       {brokenServices{describe: &ecs.DescribeServicesOutput{Failures: []ecstypes.Failure{{Arn: aws.String("arn:x"), Reason: aws.String("MISSING")}}}}, "could not describe some services"},
		"nil answer":     {brokenServices{describe: &ecs.DescribeServicesOutput{}}, ""},
	}
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, c, clusters := simCollector(t, sc)
			tc.broken.ECSAPI = c.ECS
			c.ECS = &tc.broken
			fleet, err := c.Collect(context.Background(), clusters)
			if err != nil {
				t.Fatal(err)
			}
			hosts, tasks, incomplete := 0, 0, false
			for _, cl := range fleet.Clusters {
				hosts += len(cl.Hosts)
				tasks += len(cl.Tasks)
				incomplete = incomplete || cl.ServicesIncomplete
				if cl.Failed {
					t.Errorf("cluster %s marked failed", cl.Name)
				}
			}
			if hosts != 10 || tasks != 26 {
				t.Errorf("read %d hosts and %d tasks, want 10 and 26", hosts, tasks)
			}
			found := false
			for _, p := range fleet.Problems {
				found = found || (p.Reason == inventory.ReasonServicesUnreadable && strings.Contains(p.Message, tc.want))
			}
			if tc.want == "" {
				if incomplete || len(fleet.Problems) != 0 {
					t.Errorf("an empty answer is no problem: incomplete %v, problems %+v", incomplete, fleet.Problems)
				}
				return
			}
			if !incomplete || !found {
				t.Errorf("incomplete %v, problems %+v, want %s mentioning %q", incomplete, fleet.Problems, inventory.ReasonServicesUnreadable, tc.want)
			}
		})
	}
}

// 250 services take three pages of 100 and 25 describes of 10.
func TestCollectServicesInPagesAndBatches(t *testing.T) {
	sc := scenario.Generate(scenario.Size{WindowsInstances: 20, TasksPerInstance: 2, Clusters: 1, Seed: 5})
	sc.TaskDefinitions = append(sc.TaskDefinitions, scenario.TaskDefinition{Family: "iis",
		Containers: []scenario.Container{{Name: "iis", PortMappings: []scenario.PortMapping{{ContainerPort: 80, HostPort: 80}}}}})
	for i := range 246 {
		sc.Clusters[0].Services = append(sc.Clusters[0].Services, scenario.Service{Name: fmt.Sprintf("iis-%03d", i), TaskDefinition: "iis", DesiredCount: 1})
	}
	env, c, clusters := simCollector(t, sc)
	fleet, err := c.Collect(context.Background(), clusters)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(fleet.Clusters[0].Services); got != 250 {
		t.Errorf("collected %d services, want 250", got)
	}
	calls := env.Sim.Calls()
	if l, d := calls.Get("ecs", "ListServices").Calls, calls.Get("ecs", "DescribeServices").Calls; l != 3 || d != 25 {
		t.Errorf("ListServices %d and DescribeServices %d calls, want 3 and 25", l, d)
	}
	if got := calls.Get("ecs", "DescribeTaskDefinition").Calls; got != 5 {
		t.Errorf("DescribeTaskDefinition calls = %d, want 5 (one per revision)", got)
	}
}
