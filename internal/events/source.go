package events

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/go-logr/logr"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// How the queue is read: SQS's longest wait and largest batch, and how
// often a message may come back undeleted before it is poison.
const (
	WaitTimeSeconds = 20
	MaxMessages     = 10
	MaxReceives     = 5
)

// Backoff after a receive fails: a missing or denied queue is asked
// again every few minutes, never given up on (it may be created or
// granted at any time).
const (
	minBackoff = 5 * time.Second
	maxBackoff = 5 * time.Minute
)

// Sink takes the hints of one receive.
type Sink interface{ Deliver([]Hint) }

// Source reads one policy's queue: long polls, hints to the sink,
// deletes in batches, and a status for the policy's conditions.
type Source struct {
	Policy   string
	QueueURL string
	Scope    Scope
	SQS      awsapi.SQSAPI
	Clock    clock.Clock
	Sink     Sink
	Recorder Recorder
	Log      logr.Logger

	mem    *memory
	mu     sync.Mutex
	status Status
	// warned are the bad-message results already logged at info level.
	warned map[Result]bool
}

func (s *Source) init() {
	if s.mem == nil {
		s.mem = newMemory()
		s.warned = map[Result]bool{}
		if s.Recorder == nil {
			s.Recorder = nopRecorder{}
		}
		s.status = Status{State: StateStarting, Since: s.Clock.Now()}
	}
}

// Run polls until ctx ends, backing off (on the Source's clock) while
// the queue cannot be read. It returns nil when ctx ends.
func (s *Source) Run(ctx context.Context) error {
	s.init()
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if err := s.Poll(ctx); err == nil || ctx.Err() != nil {
			backoff = 0
			continue
		}
		backoff = min(max(2*backoff, minBackoff), maxBackoff)
		select {
		case <-ctx.Done():
		case <-s.Clock.After(backoff):
		}
	}
	return nil
}

// Poll receives once (a long poll of up to WaitTimeSeconds), hands the
// hints to the sink and deletes every message it read, hinted or not.
// Its error is the receive's; a failed delete is counted and logged
// (the messages come back, and are duplicates then).
func (s *Source) Poll(ctx context.Context) error {
	s.init()
	out, err := s.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(s.QueueURL), MaxNumberOfMessages: MaxMessages, WaitTimeSeconds: WaitTimeSeconds,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount},
	})
	if err != nil {
		if ctx.Err() == nil {
			s.failed("ReceiveMessage", err)
		}
		return err
	}
	now := s.Clock.Now()
	s.mem.prune(now)
	var hints []Hint
	entries := make([]sqstypes.DeleteMessageBatchRequestEntry, 0, len(out.Messages))
	for i, m := range out.Messages {
		typ, res, h, why := s.read(m, now)
		s.Recorder.MessageRead(s.Policy, typ, string(res))
		if res == ResultHandled {
			hints = append(hints, h)
		}
		s.logBad(res, why, m)
		entries = append(entries, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
	}
	// Hints before deletes: a crash in between reads them again, as
	// duplicates of what the engine already took, which is harmless.
	if s.Sink != nil {
		s.Sink.Deliver(hints)
	}
	s.received(len(out.Messages), len(hints))
	s.delete(ctx, entries)
	return nil
}

// read judges one message.
func (s *Source) read(m sqstypes.Message, now time.Time) (typ string, res Result, h Hint, why string) {
	body := aws.ToString(m.Body)
	if len(body) > MaxBodyBytes {
		return TypeUnknown, ResultOversized, Hint{}, "a body of " + strconv.Itoa(len(body)) + " bytes, larger than any EventBridge event"
	}
	if n, _ := strconv.Atoi(m.Attributes[string(sqstypes.MessageSystemAttributeNameApproximateReceiveCount)]); n > MaxReceives {
		return TypeUnknown, ResultPoison, Hint{}, "received " + strconv.Itoa(n) + " times without being deleted"
	}
	e, err := parse(body)
	if err != nil {
		return TypeUnknown, ResultMalformed, Hint{}, err.Error()
	}
	h, res = s.Scope.judge(e, s.mem, now)
	return typeOf(e.source, e.detailType), res, h, ""
}

// logBad logs the first message of each bad kind at info level, the
// rest at V(1): a queue that fills with garbage must not flood the log.
func (s *Source) logBad(res Result, why string, m sqstypes.Message) {
	switch res {
	case ResultMalformed, ResultOversized, ResultPoison:
	default:
		return
	}
	log := s.Log.WithValues("policy", s.Policy, "queue", s.QueueURL, "messageId", aws.ToString(m.MessageId), "result", string(res))
	if !s.warned[res] {
		s.warned[res] = true
		log.Info("deleted an event queue message ecswin cannot use (further ones are logged at V(1))", "why", why)
		return
	}
	log.V(1).Info("deleted an event queue message ecswin cannot use", "why", why)
}

func (s *Source) delete(ctx context.Context, entries []sqstypes.DeleteMessageBatchRequestEntry) {
	if len(entries) == 0 {
		return
	}
	out, err := s.SQS.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(s.QueueURL), Entries: entries})
	if err != nil {
		if ctx.Err() == nil {
			s.Recorder.ReceiveFailed(s.Policy, "DeleteMessageBatch", awsapi.ResultLabel(awsapi.Classify(err)))
			s.Log.V(1).Info("deleting read events failed; they come back as duplicates", "policy", s.Policy, "error", err.Error())
		}
		return
	}
	for _, f := range out.Failed {
		kind := awsapi.Classify(&smithy.GenericAPIError{Code: aws.ToString(f.Code), Message: aws.ToString(f.Message)})
		s.Recorder.ReceiveFailed(s.Policy, "DeleteMessageBatch", awsapi.ResultLabel(kind))
	}
}

// failed records a receive that failed: the status says why, logged
// when the reason changes.
func (s *Source) failed(op string, err error) {
	kind := awsapi.Classify(err)
	s.Recorder.ReceiveFailed(s.Policy, op, awsapi.ResultLabel(kind))
	state := StateFailing
	switch kind {
	case awsapi.KindNotFound:
		state = StateQueueMissing
	case awsapi.KindAccessDenied:
		state = StateAccessDenied
	}
	msg := stateMessage(state, s.QueueURL, err)
	if s.setStatus(state, msg) {
		s.Log.Info("the event queue cannot be read; polling alone finds changes until it can", "policy", s.Policy, "queue", s.QueueURL, "state", state, "error", err.Error())
	}
}

func (s *Source) received(messages, hints int) {
	s.mu.Lock()
	s.status.Messages += messages
	s.status.Hints += hints
	s.mu.Unlock()
	if s.setStatus(StateReceiving, "reading "+s.QueueURL) {
		s.Log.Info("reading the event queue", "policy", s.Policy, "queue", s.QueueURL)
	}
}

// setStatus changes the state; it tells whether the state is new.
func (s *Source) setStatus(state, msg string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.status.State != state
	if changed {
		s.status.Since = s.Clock.Now()
	}
	s.status.State, s.status.Message = state, msg
	return changed
}

// Status says how reading the queue goes.
func (s *Source) Status() Status {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// errNoSQS is clients without an SQS client (no queue in the settings).
var errNoSQS = errors.New("the AWS clients have no SQS client: the settings name no event queue")
