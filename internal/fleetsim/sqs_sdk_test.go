package fleetsim_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// queueEnv is a simulator with one queue and a client for it.
type queueEnv struct {
	*env
	url string
}

func newQueueEnv(t *testing.T, attrs map[string]string) queueEnv {
	t.Helper()
	e := newEnv(t, "small", fleetsimOptions())
	url, err := e.sim.CreateQueue("ecswin-events", attrs)
	if err != nil {
		t.Fatal(err)
	}
	return queueEnv{e, url}
}

func (q queueEnv) send(t *testing.T, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := q.sqs.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

func (q queueEnv) receive(t *testing.T, n int32, visibility int32) []sqstypes.Message {
	t.Helper()
	out, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(q.url), MaxNumberOfMessages: n, VisibilityTimeout: visibility,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

func bodies(ms []sqstypes.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = aws.ToString(m.Body)
	}
	return out
}

// A message received is invisible for the visibility timeout, then
// comes back with a new receipt handle and a higher receive count; only
// the latest handle deletes it; batch deletes report each entry.
func TestSQSVisibilityAndDeletes(t *testing.T) {
	q := newQueueEnv(t, nil)
	q.send(t, "one", "two", "three")

	first := q.receive(t, 10, 30)
	if got := bodies(first); len(got) != 3 || got[0] != "one" || got[2] != "three" {
		t.Fatalf("received %v", got)
	}
	if rc := first[0].Attributes["ApproximateReceiveCount"]; rc != "1" {
		t.Fatalf("ApproximateReceiveCount %q", rc)
	}
	if sent := first[0].Attributes["SentTimestamp"]; sent != strconv.FormatInt(t0.UnixMilli(), 10) {
		t.Fatalf("SentTimestamp %q", sent)
	}
	if again := q.receive(t, 10, 30); len(again) != 0 {
		t.Fatalf("in-flight messages came back at once: %v", bodies(again))
	}
	q.clock.Step(31 * time.Second)
	second := q.receive(t, 10, 30)
	if len(second) != 3 || second[0].Attributes["ApproximateReceiveCount"] != "2" || aws.ToString(second[0].ReceiptHandle) == aws.ToString(first[0].ReceiptHandle) {
		t.Fatalf("after the timeout: %v", second)
	}

	// The stale handle of "one" succeeds but deletes nothing; the
	// current ones delete; a handle SQS never gave out is refused.
	out, err := q.sqs.DeleteMessageBatch(ctx(t), &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(q.url), Entries: []sqstypes.DeleteMessageBatchRequestEntry{
		{Id: aws.String("stale"), ReceiptHandle: first[0].ReceiptHandle},
		{Id: aws.String("two"), ReceiptHandle: second[1].ReceiptHandle},
		{Id: aws.String("three"), ReceiptHandle: second[2].ReceiptHandle},
		{Id: aws.String("bogus"), ReceiptHandle: aws.String("bogus")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 3 || len(out.Failed) != 1 || aws.ToString(out.Failed[0].Id) != "bogus" ||
		aws.ToString(out.Failed[0].Code) != "ReceiptHandleIsInvalid" || !out.Failed[0].SenderFault {
		t.Fatalf("batch delete: %+v", out)
	}
	q.clock.Step(31 * time.Second)
	m := q.receive(t, 10, 60)
	if left := bodies(m); len(left) != 1 || left[0] != "one" {
		t.Fatalf("left %v, want only the message deleted with a stale handle", left)
	}

	// ChangeMessageVisibility to 0 makes an in-flight message receivable.
	if _, err := q.sqs.ChangeMessageVisibility(ctx(t), &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q.url), ReceiptHandle: m[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	if again := q.receive(t, 1, 60); len(again) != 1 {
		t.Fatal("a message made visible did not come back")
	}
	_, err = q.sqs.ChangeMessageVisibility(ctx(t), &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q.url), ReceiptHandle: m[0].ReceiptHandle, VisibilityTimeout: 10})
	var notInflight *sqstypes.MessageNotInflight
	if !errors.As(err, &notInflight) {
		t.Fatalf("changing a superseded handle: %v", err)
	}
}

// SQS's errors reach the SDK as the modeled exceptions, with the query
// protocol's codes the SDK reports from x-amzn-query-error.
func TestSQSErrors(t *testing.T) {
	q := newQueueEnv(t, nil)
	q.sim.DenyQueue("denied", true)
	if _, err := q.sim.CreateQueue("denied", nil); err != nil {
		t.Fatal(err)
	}
	missing := q.sim.QueueURL("missing")
	entries := func(n int, id string) []sqstypes.DeleteMessageBatchRequestEntry {
		out := make([]sqstypes.DeleteMessageBatchRequestEntry, n)
		for i := range out {
			out[i] = sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(id + strconv.Itoa(i)), ReceiptHandle: aws.String("x")}
			if id == "same" {
				out[i].Id = aws.String(id)
			}
		}
		return out
	}
	deleteBatch := func(url string, e []sqstypes.DeleteMessageBatchRequestEntry) func() error {
		return func() error {
			_, err := q.sqs.DeleteMessageBatch(ctx(t), &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: e})
			return err
		}
	}
	requireAPIErrors(t, map[string]apiErrorCase{
		"missing queue": {func() error {
			_, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(missing)})
			var e *sqstypes.QueueDoesNotExist
			if err != nil && !errors.As(err, &e) {
				t.Errorf("not a QueueDoesNotExist: %T", err)
			}
			return err
		}, "AWS.SimpleQueueService.NonExistentQueue"},
		"denied queue": {func() error {
			_, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.sim.QueueURL("denied"))})
			return err
		}, "AccessDenied"},
		"too many messages": {func() error {
			_, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.url), MaxNumberOfMessages: 11})
			return err
		}, "InvalidParameterValue"},
		"wait too long": {func() error {
			_, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.url), WaitTimeSeconds: 21})
			return err
		}, "InvalidParameterValue"},
		"empty batch":        {deleteBatch(q.url, []sqstypes.DeleteMessageBatchRequestEntry{}), "AWS.SimpleQueueService.EmptyBatchRequest"},
		"eleven entries":     {deleteBatch(q.url, entries(11, "e")), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
		"repeated ids":       {deleteBatch(q.url, entries(2, "same")), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"},
		"bad id":             {deleteBatch(q.url, entries(1, "no spaces")), "AWS.SimpleQueueService.InvalidBatchEntryId"},
		"batch, missing one": {deleteBatch(missing, entries(1, "e")), "AWS.SimpleQueueService.NonExistentQueue"},
		"bad receipt": {func() error {
			_, err := q.sqs.DeleteMessage(ctx(t), &sqs.DeleteMessageInput{QueueUrl: aws.String(q.url), ReceiptHandle: aws.String("nope")})
			return err
		}, "ReceiptHandleIsInvalid"},
		"not a queue url": {func() error {
			_, err := q.sqs.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: aws.String("nope")})
			return err
		}, "InvalidAddress"},
		"body too large": {func() error {
			_, err := q.sqs.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String(string(make([]byte, 1<<20+1)))})
			return err
		}, "InvalidParameterValue"},
		"bad characters": {func() error {
			_, err := q.sqs.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String("a\x00b")})
			return err
		}, "InvalidMessageContents"},
		"purge twice": {func() error {
			for range 2 {
				if _, err := q.sqs.PurgeQueue(ctx(t), &sqs.PurgeQueueInput{QueueUrl: aws.String(q.url)}); err != nil {
					return err
				}
			}
			return nil
		}, "AWS.SimpleQueueService.PurgeQueueInProgress"},
	})
}

// A long poll waits on the simulator's clock: it returns as soon as a
// message arrives, or empty when the wait is over.
func TestSQSLongPoll(t *testing.T) {
	q := newQueueEnv(t, map[string]string{"ReceiveMessageWaitTimeSeconds": "20"})
	type result struct {
		msgs []sqstypes.Message
		err  error
	}
	poll := func() chan result {
		ch := make(chan result, 1)
		go func() {
			out, err := q.sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.url), MaxNumberOfMessages: 10})
			if err != nil {
				ch <- result{err: err}
				return
			}
			ch <- result{msgs: out.Messages}
		}()
		return ch
	}
	ch := poll()
	if err := q.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	q.clock.Step(19 * time.Second)
	if err := q.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-ch:
		t.Fatalf("returned before the wait was over: %+v", r)
	default:
	}
	q.send(t, "hello")
	if r := <-ch; r.err != nil || len(r.msgs) != 1 || aws.ToString(r.msgs[0].Body) != "hello" {
		t.Fatalf("long poll: %+v", r)
	}

	ch = poll()
	if err := q.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	q.clock.Step(20 * time.Second)
	if r := <-ch; r.err != nil || len(r.msgs) != 0 {
		t.Fatalf("after the wait: %+v", r)
	}
}

// Messages older than the retention period are gone, and the queue's
// counts say what is visible, in flight and delayed.
func TestSQSRetentionAndCounts(t *testing.T) {
	q := newQueueEnv(t, map[string]string{"MessageRetentionPeriod": "60"})
	q.send(t, "a", "b")
	if _, err := q.sqs.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(q.url), MessageBody: aws.String("later"), DelaySeconds: 30}); err != nil {
		t.Fatal(err)
	}
	q.receive(t, 1, 30)
	attrs, err := q.sqs.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q.url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	if a := attrs.Attributes; a["ApproximateNumberOfMessages"] != "1" || a["ApproximateNumberOfMessagesNotVisible"] != "1" ||
		a["ApproximateNumberOfMessagesDelayed"] != "1" || a["QueueArn"] != "arn:aws:sqs:us-east-1:123456789012:ecswin-events" {
		t.Fatalf("attributes %v", a)
	}
	q.clock.Step(61 * time.Second)
	if left := q.receive(t, 10, 30); len(left) != 0 {
		t.Fatalf("kept past retention: %v", bodies(left))
	}
}

func fleetsimOptions() fleetsim.Options { return fleetsim.Options{} }
