package fleetsim_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/eventbus"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// envelope is an EventBridge event as a queue receives it, its detail
// an object.
type envelope struct {
	eventbus.Event
	Detail map[string]any `json:"detail"`
}

// eventRules are rules like config/aws's: tasks reaching RUNNING on a
// container instance, container instance changes, placement failures,
// and the terminal statuses of ecswin's invocations.
var eventRules = map[string]string{
	"tasks":      `{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["RUNNING"],"containerInstanceArn":[{"exists":true}]}}`,
	"instances":  `{"source":["aws.ecs"],"detail-type":["ECS Container Instance State Change"]}`,
	"placement":  `{"source":["aws.ecs"],"detail-type":["ECS Service Action"],"detail":{"eventName":["SERVICE_TASK_PLACEMENT_FAILURE"]}}`,
	"invocation": `{"source":["aws.ssm"],"detail-type":["EC2 Command Invocation Status-change Notification"],"detail":{"status":["Success","Failed","TimedOut","Cancelled"]}}`,
}

func withRules(t *testing.T, q queueEnv, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := q.sim.PutRule(n, []byte(eventRules[n]), "ecswin-events"); err != nil {
			t.Fatal(err)
		}
	}
}

// drain receives and deletes everything receivable now.
func (q queueEnv) drain(t *testing.T) []envelope {
	t.Helper()
	var out []envelope
	for {
		ms := q.receive(t, 10, 30)
		if len(ms) == 0 {
			return out
		}
		for _, m := range ms {
			var e envelope
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &e); err != nil {
				t.Fatalf("a message is not an event: %v\n%s", err, aws.ToString(m.Body))
			}
			out = append(out, e)
			if _, err := q.sqs.DeleteMessage(ctx(t), &sqs.DeleteMessageInput{QueueUrl: aws.String(q.url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func ofType(es []envelope, detailType string) []envelope {
	var out []envelope
	for _, e := range es {
		if e.DetailType == detailType {
			out = append(out, e)
		}
	}
	return out
}

func windowsHost(t *testing.T, q queueEnv, taskRoles bool) fleetsim.HostState {
	t.Helper()
	for _, st := range q.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true}) {
		if st.TaskRoles == taskRoles && st.SSMOnline {
			return st
		}
	}
	t.Fatal("no such host")
	return fleetsim.HostState{}
}

// A task start reaches the queue as the documented ECS Task State Change
// (the detail a DescribeTasks task with ISO times), after EventBridge's
// latency, with the container instance's state change beside it.
func TestEventsOfATaskStart(t *testing.T) {
	q := newQueueEnv(t, nil)
	withRules(t, q, "tasks", "instances")
	host := windowsHost(t, q, true)
	taskARN, err := q.sim.StartTask(host.InstanceID, "web", false)
	if err != nil {
		t.Fatal(err)
	}
	if early := q.drain(t); len(early) != 0 {
		t.Fatalf("delivered before EventBridge's latency: %v", early)
	}
	q.clock.Step(time.Second)
	got := q.drain(t)
	tasks := ofType(got, fleetsim.DetailTaskStateChange)
	if len(tasks) != 1 || len(ofType(got, fleetsim.DetailInstanceStateChange)) != 1 {
		t.Fatalf("events %v", got)
	}
	e := tasks[0]
	d := e.Detail
	if e.Version != "0" || e.Source != "aws.ecs" || e.Account != "123456789012" || e.Region != "us-east-1" ||
		e.Time != "2026-11-30T12:00:00Z" || !slices.Equal(e.Resources, []string{taskARN}) || e.ID == "" {
		t.Fatalf("envelope %+v", e)
	}
	if d["taskArn"] != taskARN || d["clusterArn"] != "arn:aws:ecs:us-east-1:123456789012:cluster/windows" ||
		d["containerInstanceArn"] != host.ContainerInstanceARN || d["lastStatus"] != "RUNNING" || d["desiredStatus"] != "RUNNING" ||
		!strings.HasSuffix(d["taskDefinitionArn"].(string), ":task-definition/web:1") || d["startedAt"] != "2026-11-30T12:00:00.000Z" ||
		d["launchType"] != "EC2" || d["version"] == nil {
		t.Fatalf("detail %v", d)
	}
	containers, _ := d["containers"].([]any)
	if len(containers) != 1 || containers[0].(map[string]any)["name"] != "web" {
		t.Fatalf("containers %v", d["containers"])
	}
}

// A reboot is the agent disconnecting and connecting again (versions
// rising), and every task replaced.
func TestEventsOfAReboot(t *testing.T) {
	q := newQueueEnv(t, nil)
	withRules(t, q, "tasks", "instances")
	host := windowsHost(t, q, true)
	if err := q.sim.RebootHost(host.InstanceID); err != nil {
		t.Fatal(err)
	}
	q.clock.Step(time.Second)
	got := q.drain(t)
	var connected []bool
	var versions []float64
	for _, e := range ofType(got, fleetsim.DetailInstanceStateChange) {
		connected = append(connected, e.Detail["agentConnected"].(bool))
		versions = append(versions, e.Detail["version"].(float64))
	}
	if len(connected) < 3 || connected[0] || !connected[len(connected)-1] || !slices.IsSorted(versions) {
		t.Fatalf("instance events: connected %v, versions %v", connected, versions)
	}
	if n := len(ofType(got, fleetsim.DetailTaskStateChange)); n != host.RunningTasks {
		t.Fatalf("%d task events for %d replaced tasks", n, host.RunningTasks)
	}
}

// A service whose tasks need host port 80 where the proxy or another
// task holds it fails placement, at once and at every retry.
func TestEventsOfAPlacementFailure(t *testing.T) {
	s := mustScenario(t, "small")
	s.Events = []scenario.Event{{After: faults.Duration(time.Second), Action: scenario.ActionCreateService, Cluster: "windows",
		Service: &scenario.Service{Name: "storefront", TaskDefinition: "port80", DesiredCount: 5}}}
	e := newEnvFor(t, s, fleetsim.Options{})
	url, err := e.sim.CreateQueue("ecswin-events", nil)
	if err != nil {
		t.Fatal(err)
	}
	q := queueEnv{e, url}
	withRules(t, q, "placement")
	q.clock.Step(2 * time.Second)
	got := q.drain(t)
	if len(got) != 1 {
		t.Fatalf("events %v", got)
	}
	d := got[0].Detail
	if got[0].DetailType != fleetsim.DetailServiceAction || d["eventName"] != "SERVICE_TASK_PLACEMENT_FAILURE" || d["eventType"] != "ERROR" ||
		d["reason"] != "RESOURCE:PORTS" || d["clusterArn"] != "arn:aws:ecs:us-east-1:123456789012:cluster/windows" ||
		!slices.Equal(got[0].Resources, []string{"arn:aws:ecs:us-east-1:123456789012:service/windows/storefront"}) {
		t.Fatalf("event %+v", got[0])
	}
	q.clock.Step(10 * time.Minute)
	if again := q.drain(t); len(again) != 1 {
		t.Fatalf("at the retry: %v", again)
	}
}

// Run Command reports each invocation's status changes; the rule keeps
// the terminal ones.
func TestEventsOfAnInvocation(t *testing.T) {
	q := newQueueEnv(t, nil)
	withRules(t, q, "invocation")
	host := windowsHost(t, q, true)
	out, err := q.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunPowerShellScript"), InstanceIds: []string{host.InstanceID},
		Parameters: map[string][]string{"commands": {"Get-Date"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	q.clock.Step(10 * time.Second)
	got := q.drain(t)
	if len(got) != 1 {
		t.Fatalf("events %v", got)
	}
	d := got[0].Detail
	if got[0].Source != "aws.ssm" || d["command-id"] != aws.ToString(out.Command.CommandId) || d["instance-id"] != host.InstanceID ||
		d["document-name"] != "AWS-RunPowerShellScript" || d["status"] != "Success" || d["requested-date-time"] != "2026-11-30T12:00:00.000Z" ||
		!slices.Equal(got[0].Resources, []string{"arn:aws:ec2:us-east-1:123456789012:instance/" + host.InstanceID}) {
		t.Fatalf("event %+v", got[0])
	}
	// Delivery, then execution: the event's time is the end of the run.
	if got[0].Time != t0.Add(3*time.Second).Format("2006-01-02T15:04:05Z") {
		t.Fatalf("time %s", got[0].Time)
	}
}

// The simulator's outages are its ground truth: a host breaks when a
// task starts without the route, at that time, and is fixed when a run
// of route-bootstrap ends, at the run's end.
func TestOutagesFollowTheFleet(t *testing.T) {
	q := newQueueEnv(t, nil)
	host := windowsHost(t, q, true)
	if host.ContainersLackingRoute > 0 || !host.ProxyHealthy {
		t.Skip("the first task-role host of the small scenario is broken already")
	}
	q.clock.Step(time.Minute)
	if _, err := q.sim.StartTask(host.InstanceID, "web", false); err != nil {
		t.Fatal(err)
	}
	createDocument(t, q.env)
	if _, err := q.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String(docName), InstanceIds: []string{host.InstanceID}, Parameters: bootstrapParams(false),
	}); err != nil {
		t.Fatal(err)
	}
	q.clock.Step(time.Minute)
	var mine []fleetsim.Outage
	for _, o := range q.sim.Outages() {
		if o.InstanceID == host.InstanceID {
			mine = append(mine, o)
		}
	}
	want := fleetsim.Outage{InstanceID: host.InstanceID, Cause: "newTask", Broke: t0.Add(time.Minute), Fixed: t0.Add(time.Minute + 3*time.Second), FixedBy: "command"}
	if len(mine) != 1 || mine[0] != want {
		t.Fatalf("outages %+v, want %+v", mine, want)
	}
}
