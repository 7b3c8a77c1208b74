package awstemplate_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/go-logr/logr/testr"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	awstemplate "github.com/ecswin/ecswin/config/aws"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

type collected struct{ hints []events.Hint }

func (c *collected) Deliver(h []events.Hint) { c.hints = append(c.hints, h...) }

// results counts what the Source made of each message.
type results map[string]int

func (r results) MessageRead(_, typ, res string)     { r[typ+"/"+res]++ }
func (results) HintDue(string, time.Duration)        {}
func (results) ReceiveFailed(string, string, string) {}

const testDocument = "ecswin-events-test"

// The template deployed into the simulator (its queue, its rules for one
// of two clusters) and read by ecswin's own Source: every change ecswin
// acts on reaches it as its hint, and nothing of the other cluster, nor
// a stopped task, is even delivered.
func TestDeployedTemplateDeliversWhatTheCodeActsOn(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clk := clocktesting.NewFakeClock(t0)
	s, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	s.Events = []scenario.Event{{After: faults.Duration(time.Minute), Action: scenario.ActionCreateService, Cluster: "windows",
		Service: &scenario.Service{Name: "storefront", TaskDefinition: "port80", DesiredCount: 5}}}
	sim, err := fleetsim.New(fleetsim.Options{Clock: clk}, s)
	if err != nil {
		t.Fatal(err)
	}
	url, stop := sim.Start()
	t.Cleanup(stop)

	// The simulator's SQS checks the template's queue attributes, its
	// bus compiles the rules' patterns.
	queueURL, err := awstemplate.Deploy(sim, awstemplate.Parameters{ClusterARNs: []string{"arn:aws:ecs:us-east-1:123456789012:cluster/windows"}})
	if err != nil {
		t.Fatal(err)
	}
	const name = "ecswin-events"

	cache := awsapi.NewCache(awsapi.Options{
		Trust: awsapi.Trust{AllowEndpointOverrides: true},
		LoadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDSIMULATOR", "simulator-secret", "")),
		},
	})
	settings := awsapi.SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", Endpoints: &v1alpha1.EndpointsSpec{ECS: url, SSM: url}}).
		WithEventQueue(&v1alpha1.EventsSpec{QueueURL: queueURL})
	cl, err := cache.ClientsFor(context.Background(), settings)
	if err != nil {
		t.Fatal(err)
	}
	sink, counted := &collected{}, results{}
	src := &events.Source{Policy: "p", QueueURL: queueURL, SQS: cl.SQS, Clock: clk, Sink: sink, Recorder: counted, Log: testr.New(t),
		Scope: events.Scope{Region: "us-east-1", Clusters: []string{"windows"}, Document: testDocument}}
	if _, err := cl.SSM.CreateDocument(context.Background(), &ssm.CreateDocumentInput{
		Name: aws.String(testDocument), DocumentType: ssmtypes.DocumentTypeCommand, DocumentFormat: ssmtypes.DocumentFormatJson,
		Content: aws.String(`{"schemaVersion":"2.2","description":"test","mainSteps":[{"action":"aws:runPowerShellScript","name":"run","inputs":{"runCommand":["Get-Date"]}}]}`),
	}); err != nil {
		t.Fatal(err)
	}

	windows := sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})
	linux := sim.Instances(fleetsim.InstanceFilter{Cluster: "linux"})
	taskARN, err := sim.StartTask(windows[0].InstanceID, "web", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.StopTask("windows", taskARN); err != nil {
		t.Fatal(err)
	}
	if err := sim.RebootHost(windows[1].InstanceID); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetAgentConnected(linux[0], false); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.SSM.SendCommand(context.Background(), &ssm.SendCommandInput{
		DocumentName: aws.String(testDocument), InstanceIds: []string{windows[2].InstanceID},
	}); err != nil {
		t.Fatal(err)
	}
	clk.Step(2 * time.Minute)
	for range 20 {
		if visible, _, _, _ := sim.QueueDepth(name); visible == 0 {
			break
		}
		if err := src.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	kinds := map[events.Kind][]string{}
	for _, h := range sink.hints {
		kinds[h.Kind] = append(kinds[h.Kind], h.ContainerInstanceARN+h.ServiceARN+h.InstanceID)
	}
	if got := kinds[events.HostDue]; len(got) != 1+windows[1].RunningTasks || got[0] != windows[0].ContainerInstanceARN {
		t.Errorf("HostDue %v: want the new task's host, then the rebooted host's replaced tasks", got)
	}
	if got := kinds[events.ProxyCheck]; len(got) != 1 || got[0] != windows[1].ContainerInstanceARN+windows[1].InstanceID {
		t.Errorf("ProxyCheck %v, want the rebooted host", got)
	}
	if got := kinds[events.TaskDefinitionDue]; !slices.Equal(got, []string{"arn:aws:ecs:us-east-1:123456789012:service/windows/storefront"}) {
		t.Errorf("TaskDefinitionDue %v", got)
	}
	if got := kinds[events.InvocationReady]; !slices.Equal(got, []string{windows[2].InstanceID}) {
		t.Errorf("InvocationReady %v", got)
	}
	// The rules let through only what ecswin may act on: no other
	// cluster's event, no stopped task, no invocation still running; the
	// container instance changes of task starts and stops come (ECS
	// sends them for every placement) and are ignored.
	want := results{
		"task/handled": 1 + windows[1].RunningTasks, "service_action/handled": 1, "invocation/handled": 1,
		"container_instance/handled": 1, "container_instance/ignored": counted["container_instance/ignored"],
	}
	if len(counted) != len(want) || counted["container_instance/ignored"] == 0 {
		t.Errorf("read %v, want %v", counted, want)
	}
	for k, v := range want {
		if counted[k] != v {
			t.Errorf("read %v, want %v", counted, want)
			break
		}
	}
}
