package fleetsim_test

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Class "documented behaviour": DescribeServices shows the PRIMARY
// deployment, so botocore's and the SDK's ServicesStable waiter succeeds
// for a service running what it wants and keeps waiting for one whose
// tasks never place (whose event says why).
func TestServicesStableWaiterSeesThePrimaryDeployment(t *testing.T) {
	e := newEnvFor(t, servicesScenario(1), fleetsim.Options{})
	waiter := ecs.NewServicesStableWaiter(e.ecs, func(o *ecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, time.Millisecond
	})
	stable := &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: []string{"web"}}
	if err := waiter.Wait(ctx(t), stable, 5*time.Second); err != nil {
		t.Fatalf("ServicesStable for a service running its desired count: %v", err)
	}
	unplaced := &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: []string{"iis-000"}}
	if err := waiter.Wait(ctx(t), unplaced, 20*time.Millisecond); err == nil {
		t.Fatal("ServicesStable succeeded for a service whose tasks never place")
	}
	out, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("windows-01"), Services: []string{"web", "iis-000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.Services {
		if len(s.Deployments) != 1 {
			t.Fatalf("%s: %d deployments, want the PRIMARY one", aws.ToString(s.ServiceName), len(s.Deployments))
		}
		d := s.Deployments[0]
		want := ecstypes.DeploymentRolloutStateCompleted
		if s.RunningCount < s.DesiredCount {
			want = ecstypes.DeploymentRolloutStateInProgress
			if len(s.Events) != 1 || !strings.Contains(aws.ToString(s.Events[0].Message), "was unable to place a task") {
				t.Errorf("%s: events %+v, want the placement failure", aws.ToString(s.ServiceName), s.Events)
			}
		}
		if aws.ToString(d.Status) != "PRIMARY" || d.RolloutState != want || !strings.HasPrefix(aws.ToString(d.Id), "ecs-svc/") ||
			d.DesiredCount != s.DesiredCount || d.RunningCount != s.RunningCount || aws.ToString(d.TaskDefinition) != aws.ToString(s.TaskDefinition) {
			t.Errorf("%s: deployment %+v", aws.ToString(s.ServiceName), d)
		}
	}
}

// Class "documented behaviour": ListTaskDefinitions lists "lexicographically
// by family name and in ascending numerical order by revision" (DESC
// reverses both), and familyPrefix is "the full family name".
func TestListTaskDefinitionsOrderAndFamily(t *testing.T) {
	s := scenario.Generate(scenario.Size{WindowsInstances: 2, TasksPerInstance: 1, Clusters: 1, Seed: 1})
	for _, fam := range []string{"zeta", "alpha", "zeta", "alpha-blue", "alpha"} {
		s.TaskDefinitions = append(s.TaskDefinitions, scenario.TaskDefinition{Family: fam, Containers: []scenario.Container{{Name: "c"}}})
	}
	e := newEnvFor(t, s, fleetsim.Options{})
	list := func(in *ecs.ListTaskDefinitionsInput) []string {
		t.Helper()
		var out []string
		pages := ecs.NewListTaskDefinitionsPaginator(e.ecs, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, arn := range page.TaskDefinitionArns {
				out = append(out, id(arn))
			}
		}
		return out
	}
	asc := list(&ecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(2)})
	if !slices.IsSortedFunc(asc, compareDefinitions) || asc[0] != "alpha:1" || asc[1] != "alpha:2" || asc[2] != "alpha-blue:1" {
		t.Fatalf("ascending: %v", asc)
	}
	desc := list(&ecs.ListTaskDefinitionsInput{Sort: ecstypes.SortOrderDesc, MaxResults: aws.Int32(3)})
	if slices.Reverse(desc); !slices.Equal(desc, asc) {
		t.Fatalf("descending is not ascending reversed: %v", desc)
	}
	if got := list(&ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("alpha")}); !slices.Equal(got, []string{"alpha:1", "alpha:2"}) {
		t.Fatalf("familyPrefix alpha: %v, want the alpha family only", got)
	}
}

// compareDefinitions orders family:revision by family, then revision.
func compareDefinitions(a, b string) int {
	fa, ra, _ := strings.Cut(a, ":")
	fb, rb, _ := strings.Cut(b, ":")
	na, _ := strconv.Atoi(ra)
	nb, _ := strconv.Atoi(rb)
	return cmp.Or(strings.Compare(fa, fb), cmp.Compare(na, nb))
}

// Class "documented behaviour": attribute names and values are what the
// API reference allows, and nothing else.
func TestPutAttributesTakesOnlyDocumentedNamesAndValues(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	target := e.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows"})[0].ContainerInstanceARN
	put := func(name, value string) error {
		at := ecstypes.Attribute{Name: aws.String(name), TargetId: aws.String(target)}
		if value != "" {
			at.Value = aws.String(value)
		}
		_, err := e.ecs.PutAttributes(ctx(t), &ecs.PutAttributesInput{Cluster: aws.String("windows"), Attributes: []ecstypes.Attribute{at}})
		return err
	}
	for _, ok := range [][2]string{{"ecswin.io/credentials", "ready"}, {`team\a_b-c`, "a b@c:d/e"}, {"flag", ""}} {
		if err := put(ok[0], ok[1]); err != nil {
			t.Errorf("%q=%q: %v", ok[0], ok[1], err)
		}
	}
	bad := map[string][2]string{
		"space in name":    {"my attribute", "x"},
		"colon in name":    {"team:a", "x"},
		"name of 129":      {strings.Repeat("n", 129), "x"},
		"leading space":    {"team", " x"},
		"trailing space":   {"team", "x "},
		"hash in value":    {"team", "a#b"},
		"value of 129":     {"team", strings.Repeat("v", 129)},
		"reserved prefix":  {"ecs.os-type", "windows"},
		"reserved prefix2": {"com.amazonaws.ecs.capability.x", "y"},
	}
	cases := map[string]apiErrorCase{}
	for name, tc := range bad {
		cases[name] = apiErrorCase{func() error { return put(tc[0], tc[1]) }, "InvalidParameterException"}
	}
	requireAPIErrors(t, cases)
}

// Class "documented behaviour": ListTasks refuses startedBy with any
// other filter and serviceName with family or containerInstance, and a
// service that does not exist is ServiceNotFoundException, not an empty
// list.
func TestListTasksFiltersAsDocumented(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	inst := e.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows"})[0].ContainerInstanceARN
	list := func(in ecs.ListTasksInput) error {
		in.Cluster = aws.String("windows")
		_, err := e.ecs.ListTasks(ctx(t), &in)
		return err
	}
	requireAPIErrors(t, map[string]apiErrorCase{
		"startedBy and family": {func() error { return list(ecs.ListTasksInput{StartedBy: aws.String("me"), Family: aws.String("web")}) }, "InvalidParameterException"},
		"startedBy and launchType": {func() error {
			return list(ecs.ListTasksInput{StartedBy: aws.String("me"), LaunchType: ecstypes.LaunchTypeEc2})
		}, "InvalidParameterException"},
		"serviceName and family": {func() error {
			return list(ecs.ListTasksInput{ServiceName: aws.String("web"), Family: aws.String("web")})
		}, "InvalidParameterException"},
		"serviceName and containerInstance": {func() error {
			return list(ecs.ListTasksInput{ServiceName: aws.String("web"), ContainerInstance: aws.String(inst)})
		}, "InvalidParameterException"},
		"a service that does not exist": {func() error { return list(ecs.ListTasksInput{ServiceName: aws.String("nope")}) }, "ServiceNotFoundException"},
	})
	for name, in := range map[string]ecs.ListTasksInput{
		"family on an instance":   {Family: aws.String("web"), ContainerInstance: aws.String(inst)},
		"a service, stopped ones": {ServiceName: aws.String("web"), DesiredStatus: ecstypes.DesiredStatusStopped},
		"startedBy alone":         {StartedBy: aws.String("me"), DesiredStatus: ecstypes.DesiredStatusRunning},
	} {
		if err := list(in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
