// Package sqsapi serves Amazon SQS on the AWS JSON 1.0 protocol over
// in-memory standard queues: queue management, sends, long-polling
// receives (on the simulator's clock), visibility timeouts, batch
// deletes and visibility changes, with SQS's own error codes. EventBridge
// rules of the simulator deliver into these queues (Deliver).
package sqsapi

import (
	"context"
	"sort"
	"time"

	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// API is the SQS service of one simulated account and region.
type API struct {
	// Guard brackets every operation (the simulator's lock). Receive
	// leaves it while it waits.
	Guard wire.Guard
	Now   func() time.Time
	// Clock times long polls; nil (a passive clock) ends every receive at
	// once, as a short poll.
	Clock clock.Clock
	// NextChange is the simulator's next clock-driven change (called
	// under the guard), which a waiting receive must wake for: an event
	// that EventBridge delivers is only produced when it is due.
	NextChange func() (time.Time, bool)
	AccountID  string
	Region     string

	queues  map[string]*Queue
	deleted map[string]time.Time // recently deleted queue names
	ids     wire.IDs
	// denied are queue names every call on which answers AccessDenied.
	denied map[string]bool
	// receivers are the receives waiting now, for WaitIdle.
	receivers map[*receiver]bool
	idle      chan struct{} // closed when receivers change
}

// New returns an SQS service without queues.
func New(accountID, region string, now func() time.Time, seed uint64) *API {
	return &API{
		Now: now, AccountID: accountID, Region: region,
		queues: map[string]*Queue{}, deleted: map[string]time.Time{}, denied: map[string]bool{},
		ids:       wire.IDs{Seed: seed ^ 0x5a5a5a5a},
		receivers: map[*receiver]bool{}, idle: make(chan struct{}),
	}
}

// Register adds every SQS operation to m.
func (a *API) Register(m *wire.Mux) {
	handle(m, a, "CreateQueue", a.createQueue)
	read(m, a, "GetQueueUrl", a.getQueueURL)
	read(m, a, "ListQueues", a.listQueues)
	handle(m, a, "DeleteQueue", a.deleteQueue)
	handle(m, a, "PurgeQueue", a.purgeQueue)
	handle(m, a, "GetQueueAttributes", a.getQueueAttributes)
	handle(m, a, "SetQueueAttributes", a.setQueueAttributes)
	handle(m, a, "SendMessage", a.sendMessage)
	handle(m, a, "SendMessageBatch", a.sendMessageBatch)
	wire.HandleTyped(m, wire.SQS, "ReceiveMessage", a.receiveMessage)
	handle(m, a, "DeleteMessage", a.deleteMessage)
	handle(m, a, "DeleteMessageBatch", a.deleteMessageBatch)
	handle(m, a, "ChangeMessageVisibility", a.changeMessageVisibility)
	handle(m, a, "ChangeMessageVisibilityBatch", a.changeMessageVisibilityBatch)
}

func handle[In any](m *wire.Mux, a *API, name string, fn func(context.Context, *In) (any, error)) {
	wire.HandleTyped(m, wire.SQS, name, func(ctx context.Context, in *In) (any, error) {
		leave := a.Guard.Write()
		defer leave()
		return fn(ctx, in)
	})
}

// read registers an operation that changes nothing.
func read[In any](m *wire.Mux, a *API, name string, fn func(context.Context, *In) (any, error)) {
	wire.HandleTyped(m, wire.SQS, name, func(ctx context.Context, in *In) (any, error) {
		leave := a.Guard.Read()
		defer leave()
		return fn(ctx, in)
	})
}

// SQS error codes (the JSON protocol's; wire.SQS adds the query codes).
const (
	CodeQueueDoesNotExist     = "QueueDoesNotExist"
	CodeQueueNameExists       = "QueueNameExists"
	CodeQueueDeletedRecently  = "QueueDeletedRecently"
	CodePurgeInProgress       = "PurgeQueueInProgress"
	CodeReceiptHandleInvalid  = "ReceiptHandleIsInvalid"
	CodeMessageNotInflight    = "MessageNotInflight"
	CodeEmptyBatch            = "EmptyBatchRequest"
	CodeTooManyEntries        = "TooManyEntriesInBatchRequest"
	CodeBatchIDsNotDistinct   = "BatchEntryIdsNotDistinct"
	CodeInvalidBatchEntryID   = "InvalidBatchEntryId"
	CodeBatchRequestTooLong   = "BatchRequestTooLong"
	CodeInvalidAttributeValue = "InvalidAttributeValue"
	CodeInvalidMessage        = "InvalidMessageContents"
	CodeAccessDenied          = "AccessDeniedException"
	CodeUnsupportedOperation  = "UnsupportedOperation"
	CodeInvalidAddress        = "InvalidAddress"
)

// Deny makes every call on the queue name answer AccessDenied (as an IAM
// policy without the SQS actions does), or allows it again.
func (a *API) Deny(name string, denied bool) {
	if denied {
		a.denied[name] = true
	} else {
		delete(a.denied, name)
	}
}

// Queue returns the queue of that name, nil when there is none.
func (a *API) Queue(name string) *Queue { return a.queues[name] }

// Queues lists the queues by name.
func (a *API) Queues() []*Queue {
	out := make([]*Queue, 0, len(a.queues))
	for _, q := range a.queues {
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Create makes a queue (the simulator's own control, outside the API).
func (a *API) Create(name string, attrs map[string]string) error {
	if err := checkAttributes(attrs); err != nil {
		return err
	}
	q := a.newQueue(name, a.Now())
	for k, v := range attrs {
		q.attrs[k] = v
	}
	a.queues[name] = q
	return nil
}

// Depth counts a queue's messages (see Sim.QueueDepth).
func (a *API) Depth(name string) (visible, inFlight, delayed int, ok bool) {
	q := a.queues[name]
	if q == nil {
		return 0, 0, 0, false
	}
	now := a.Now()
	q.expire(now)
	visible, inFlight, delayed = q.counts(now)
	return visible, inFlight, delayed, true
}
