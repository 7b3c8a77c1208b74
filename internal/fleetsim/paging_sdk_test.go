package fleetsim_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// Class "pagination": a command sent between two pages of ListCommands
// (newest first) or ListCommandInvocations neither repeats an entry nor
// pushes one off the next page, as ecswin's restart recovery needs while
// another manager sends.
func TestCommandListingsStayPutWhileCommandsAreSent(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:2]
	var before []string
	for range 7 {
		before = append(before, send(t, e, ids, bootstrapParams(true)))
	}
	e.clock.Step(time.Second) // past SSM's visibility delay

	seen := map[string]int{}
	commands := ssm.NewListCommandsPaginator(e.ssm, &ssm.ListCommandsInput{MaxResults: aws.Int32(2)})
	for commands.HasMorePages() {
		page, err := commands.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Commands {
			seen[aws.ToString(c.CommandId)]++
		}
		send(t, e, ids[:1], bootstrapParams(true))
	}
	for _, id := range before {
		if seen[id] != 1 {
			t.Errorf("ListCommands listed %s %d times, want once", id, seen[id])
		}
	}

	listed := map[string]int{}
	invocations := ssm.NewListCommandInvocationsPaginator(e.ssm, &ssm.ListCommandInvocationsInput{MaxResults: aws.Int32(3)})
	for invocations.HasMorePages() {
		page, err := invocations.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range page.CommandInvocations {
			listed[aws.ToString(inv.CommandId)+"/"+aws.ToString(inv.InstanceId)]++
		}
		send(t, e, ids, bootstrapParams(true))
		e.clock.Step(time.Second) // past SSM's visibility delay
	}
	for _, c := range before {
		for _, id := range ids {
			if n := listed[c+"/"+id]; n != 1 {
				t.Errorf("ListCommandInvocations listed %s on %s %d times, want once", c, id, n)
			}
		}
	}
}

// Class "pagination": page sizes without MaxResults are the documented
// ones: ListServices 10, DescribeInstanceInformation 10, the other ECS
// listings 100, ListCommands 50.
func TestDefaultPageSizesAreTheDocumentedOnes(t *testing.T) {
	e := newEnvFor(t, servicesScenario(30), fleetsim.Options{})
	svcs, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String("windows-01")})
	if err != nil || len(svcs.ServiceArns) != 10 || svcs.NextToken == nil {
		t.Fatalf("ListServices: %d services, token %v, err %v; want 10 and a token", len(svcs.ServiceArns), svcs.NextToken, err)
	}
	info, err := e.ssm.DescribeInstanceInformation(ctx(t), &ssm.DescribeInstanceInformationInput{})
	if err != nil || len(info.InstanceInformationList) != 10 || info.NextToken == nil {
		t.Fatalf("DescribeInstanceInformation: %d, token %v, err %v; want 10 and a token", len(info.InstanceInformationList), info.NextToken, err)
	}
	tasks, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("windows-01")})
	if err != nil || len(tasks.TaskArns) != 40 || tasks.NextToken != nil {
		t.Fatalf("ListTasks: %d tasks, token %v, err %v; want all 40 in one page of up to 100", len(tasks.TaskArns), tasks.NextToken, err)
	}
}
