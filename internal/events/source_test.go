package events_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

const (
	account     = "123456789012"
	windowsARN  = "arn:aws:ecs:us-east-1:123456789012:cluster/windows"
	instanceARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/windows/0123456789abcdef0123456789abcdef"
)

// envelope writes an EventBridge event body.
func envelope(id, source, detailType, region string, resources []string, detail string) string {
	return fmt.Sprintf(`{"version":"0","id":%q,"detail-type":%q,"source":%q,"account":%q,"time":"2026-11-30T12:00:00Z","region":%q,"resources":[%s],"detail":%s}`,
		id, detailType, source, account, region, quoteAll(resources), detail)
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ",")
}

func taskEvent(id, cluster, status string, version int) string {
	task := "arn:aws:ecs:us-east-1:123456789012:task/windows/" + id
	return envelope(id, events.SourceECS, events.DetailTaskStateChange, "us-east-1", []string{task}, fmt.Sprintf(
		`{"clusterArn":%q,"taskArn":%q,"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1","containerInstanceArn":%q,"lastStatus":%q,"desiredStatus":"RUNNING","version":%d}`,
		cluster, task, instanceARN, status, version))
}

func instanceEvent(id string, connected bool, version int) string {
	return envelope(id, events.SourceECS, events.DetailInstanceStateChange, "us-east-1", []string{instanceARN}, fmt.Sprintf(
		`{"clusterArn":%q,"containerInstanceArn":%q,"ec2InstanceId":"i-0123456789abcdef0","agentConnected":%v,"status":"ACTIVE","version":%d}`,
		windowsARN, instanceARN, connected, version))
}

func serviceEvent(id, reason string) string {
	return envelope(id, events.SourceECS, events.DetailServiceAction, "us-east-1", []string{"arn:aws:ecs:us-east-1:123456789012:service/windows/storefront"}, fmt.Sprintf(
		`{"eventType":"ERROR","eventName":"SERVICE_TASK_PLACEMENT_FAILURE","clusterArn":%q,"reason":%q,"createdAt":"2026-11-30T12:00:00.000Z"}`, windowsARN, reason))
}

func invocationEvent(id, doc, status string) string {
	return envelope(id, events.SourceSSM, events.DetailInvocationStatus, "us-east-1", []string{"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"}, fmt.Sprintf(
		`{"command-id":"00000000-0000-4000-8000-00000000c0de","document-name":%q,"instance-id":"i-0123456789abcdef0","requested-date-time":"2026-11-30T11:59:58.000Z","status":%q}`, doc, status))
}

func (w *world) send(t *testing.T, bodies ...string) {
	t.Helper()
	cl := w.rawSQS(t)
	for _, b := range bodies {
		if _, err := cl.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(w.queueURL), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *world) rawSQS(t *testing.T) *sqs.Client {
	t.Helper()
	cl, err := w.clients.ClientsFor(ctx(t), w.settings)
	if err != nil {
		t.Fatal(err)
	}
	return cl.SQS.(*sqs.Client)
}

// drain polls until the queue is empty (every message is receivable now).
func drain(t *testing.T, w *world, src *events.Source) {
	t.Helper()
	for range 20 {
		visible, inFlight, delayed, _ := w.sim.QueueDepth("ecswin-events")
		switch {
		case visible+inFlight+delayed == 0:
			return
		case visible == 0 && delayed > 0:
			t.Fatalf("nothing to receive now: %d delayed", delayed)
		case visible == 0:
			// A receive whose answer was lost (the SDK retried it) left
			// these in flight: they come back after the visibility timeout.
			w.clock.Step(time.Minute + time.Second)
			continue
		}
		if err := src.Poll(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("the queue did not empty")
}

// Every kind of message a queue can hold: each counted by type and what
// became of it, the useful ones hinted, and every one deleted.
func TestEveryMessageIsJudgedCountedAndDeleted(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	s := &sink{}
	src := w.source(t, w.queueURL, s)
	otherCluster := "arn:aws:ecs:us-east-1:123456789012:cluster/payments"
	w.send(t,
		taskEvent("t1", windowsARN, "RUNNING", 2),                                                                     // handled
		taskEvent("t1", windowsARN, "RUNNING", 2),                                                                     // the same event id again: duplicate
		taskEvent("t2", windowsARN, "RUNNING", 3),                                                                     // handled
		strings.Replace(taskEvent("t2", windowsARN, "PENDING", 2), `"id":"t2"`, `"id":"t2-old"`, 1),                   // an older version: stale
		taskEvent("t3", windowsARN, "STOPPED", 4),                                                                     // ignored
		taskEvent("t4", otherCluster, "RUNNING", 1),                                                                   // foreign cluster
		strings.Replace(taskEvent("t5", windowsARN, "RUNNING", 1), `"region":"us-east-1"`, `"region":"eu-west-1"`, 1), // foreign region
		instanceEvent("i1", true, 10),                                                                                 // connected, nothing known before: ignored
		instanceEvent("i2", false, 12),                                                                                // the disconnect of a reboot: ignored
		instanceEvent("i3", true, 13),                                                                                 // the reconnect: handled (proxy check)
		serviceEvent("s1", "RESOURCE:PORTS"),                                                                          // handled
		serviceEvent("s2", "RESOURCE:MEMORY"),                                                                         // ignored
		invocationEvent("c1", document, "Success"),                                                                    // handled
		invocationEvent("c2", "AWS-RunShellScript", "Success"),                                                        // ignored: not ecswin's
		invocationEvent("c3", document, "InProgress"),                                                                 // ignored: not finished
		envelope("u1", "aws.ec2", "EC2 Instance State-change Notification", "us-east-1", nil, `{"state":"running"}`),  // unknown type: ignored
		"hello", // malformed
		`{"detail-type":"ECS Task State Change"}`, // malformed: no envelope
		envelope("m1", events.SourceECS, events.DetailTaskStateChange, "us-east-1", nil, `{"lastStatus":"RUNNING"}`),                                         // malformed: no task
		envelope("m2", events.SourceECS, events.DetailTaskStateChange, "us-east-1", nil, `"a string"`),                                                       // malformed detail
		`{"version":"0","id":"big","source":"aws.ecs","detail-type":"x","time":"2026-11-30T12:00:00Z","pad":"`+strings.Repeat("x", events.MaxBodyBytes)+`"}`, // oversized
	)
	drain(t, w, src)
	want := map[string]int{
		"task/handled": 2, "task/duplicate": 1, "task/stale": 1, "task/ignored": 1, "task/foreign": 2,
		"container_instance/ignored": 2, "container_instance/handled": 1,
		"service_action/handled": 1, "service_action/ignored": 1,
		"invocation/handled": 1, "invocation/ignored": 2,
		"unknown/ignored": 1, "unknown/malformed": 4, "unknown/oversized": 1,
	}
	if got := w.rec.counts(); !equalCounts(got, want) {
		t.Fatalf("counted %v\nwant    %v", got, want)
	}
	var kinds []string
	for _, h := range s.take() {
		kinds = append(kinds, string(h.Kind))
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"HostDue", "HostDue", "InvocationReady", "ProxyCheck", "TaskDefinitionDue"}) {
		t.Fatalf("hints %v", kinds)
	}
	if st := src.Status(); st.State != events.StateReceiving || st.Messages != 21 || st.Hints != 5 {
		t.Fatalf("status %+v", st)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A reconnect is seen whichever order its two events arrive in, once.
func TestReconnectInEitherOrder(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	s := &sink{}
	src := w.source(t, w.queueURL, s)
	w.send(t, instanceEvent("a", true, 21), instanceEvent("b", false, 20), instanceEvent("c", true, 22))
	drain(t, w, src)
	if h := s.take(); len(h) != 1 || h[0].Kind != events.ProxyCheck || h[0].InstanceID != "i-0123456789abcdef0" {
		t.Fatalf("hints %+v", h)
	}
}

// A message that keeps coming back undeleted is poison: deleted, counted.
func TestPoisonMessagesAreDeleted(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	w.send(t, taskEvent("p1", windowsARN, "RUNNING", 1))
	raw := w.rawSQS(t)
	for range events.MaxReceives {
		out, err := raw.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(w.queueURL), VisibilityTimeout: 1})
		if err != nil || len(out.Messages) != 1 {
			t.Fatalf("receive: %v %v", out, err)
		}
		w.clock.Step(2 * time.Second)
	}
	s := &sink{}
	drain(t, w, w.source(t, w.queueURL, s))
	if got := w.rec.counts(); got["unknown/poison"] != 1 || len(s.take()) != 0 {
		t.Fatalf("counts %v", got)
	}
}

// The simulator's own events, through the template's rules, with
// EventBridge duplicating and reordering them: a task start on each of
// ten hosts is ten hosts due, each once.
func TestSimulatedEventsWithFaults(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{DuplicateFraction: 0.5, Jitter: 3e9})
	inbox := events.NewInbox("p", nil, w.rec)
	src := w.source(t, w.queueURL, inbox)
	hosts := w.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})
	for _, h := range hosts {
		if _, err := w.sim.StartTask(h.InstanceID, "web", false); err != nil {
			t.Fatal(err)
		}
	}
	w.clock.Step(5 * time.Second)
	drain(t, w, src)
	ready, ok := inbox.ReadyAt()
	if !ok || !ready.After(w.clock.Now()) {
		t.Fatalf("ready at %v, %v: want after the debounce", ready, ok)
	}
	if early := inbox.Take(w.clock.Now()); !early.Empty() {
		t.Fatalf("taken before the debounce: %+v", early)
	}
	batch := inbox.Take(ready)
	if len(batch.Hosts) != len(hosts) {
		t.Fatalf("%d hosts due, want %d", len(batch.Hosts), len(hosts))
	}
	for i, h := range batch.Hosts {
		if len(h.NewTasks) != 1 || h.ContainerInstanceARN != sortedARNs(hosts)[i] {
			t.Fatalf("host %d: %+v", i, h)
		}
	}
	if c := w.rec.counts(); c["task/duplicate"] == 0 || c["task/handled"] != len(hosts) {
		t.Fatalf("counts %v: want duplicates dropped", c)
	}
	if stats := w.sim.EventBus(); stats.Duplicated == 0 {
		t.Fatalf("the bus duplicated nothing: %+v", stats)
	}
}

func sortedARNs(hs []fleetsim.HostState) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ContainerInstanceARN
	}
	slices.Sort(out)
	return out
}

// A missing or denied queue is a status and a count, never fatal; the
// source reads it as soon as it exists or is granted.
func TestMissingAndDeniedQueues(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	missing := w.sim.QueueURL("ecswin-later")
	src := w.source(t, missing, &sink{})
	if err := src.Poll(ctx(t)); err == nil {
		t.Fatal("polled a missing queue")
	}
	st := src.Status()
	if st.State != events.StateQueueMissing || !strings.Contains(st.Message, "ecswin-later") || !strings.Contains(st.Message, "config/aws") {
		t.Fatalf("status %+v", st)
	}
	if got := <-w.rec.failed; got != "ReceiveMessage/not_found" {
		t.Fatalf("counted %s", got)
	}

	w.sim.DenyQueue("ecswin-events", true)
	denied := w.source(t, w.queueURL, &sink{})
	if err := denied.Poll(ctx(t)); err == nil {
		t.Fatal("polled a denied queue")
	}
	if st := denied.Status(); st.State != events.StateAccessDenied || !strings.Contains(st.Message, "sqs:ReceiveMessage") {
		t.Fatalf("status %+v", st)
	}
	if got := <-w.rec.failed; got != "ReceiveMessage/access_denied" {
		t.Fatalf("counted %s", got)
	}
	w.sim.DenyQueue("ecswin-events", false)
	w.send(t, taskEvent("t1", windowsARN, "RUNNING", 1))
	if err := denied.Poll(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if st := denied.Status(); st.State != events.StateReceiving || st.Messages != 1 {
		t.Fatalf("after the grant: %+v", st)
	}
}

// Run backs off on the clock while the queue is missing and reads it
// once it exists, long-polling.
func TestRunBacksOffAndRecovers(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	url := w.sim.QueueURL("ecswin-soon")
	s := &sink{}
	src := w.source(t, url, s)
	done := make(chan struct{})
	runCtx, cancel := contextWithCancel(t)
	go func() {
		defer close(done)
		_ = src.Run(runCtx)
	}()
	<-w.rec.failed // the first receive failed; Run waits 5s on the fake clock
	if _, err := w.sim.CreateQueue("ecswin-soon", map[string]string{"ReceiveMessageWaitTimeSeconds": "20"}); err != nil {
		t.Fatal(err)
	}
	if err := w.sim.PutRule("tasks", []byte(`{"source":["aws.ecs"],"detail-type":["ECS Task State Change"]}`), "ecswin-soon"); err != nil {
		t.Fatal(err)
	}
	for !w.clock.HasWaiters() {
		runtime.Gosched() // until Run waits on its backoff
	}
	w.clock.Step(5 * time.Second)
	if err := w.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	host := w.sim.Instances(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})[0]
	if _, err := w.sim.StartTask(host, "web", false); err != nil {
		t.Fatal(err)
	}
	w.clock.Step(time.Second)
	if err := w.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	if h := s.take(); len(h) != 1 || h[0].Kind != events.HostDue {
		t.Fatalf("hints %+v", h)
	}
	cancel()
	<-done
}
