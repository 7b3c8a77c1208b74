package events

import (
	"errors"
	"time"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// States of a policy's event queue, CamelCase for conditions.
const (
	StateOff          = "Off"          // the policy names no queue
	StateStarting     = "Starting"     // not read yet
	StateReceiving    = "Receiving"    // read
	StateQueueMissing = "QueueMissing" // SQS says there is no such queue
	StateAccessDenied = "AccessDenied" // the policy's credentials may not read it
	StateFailing      = "Failing"      // receives fail (throttling, errors, the network)
	StateRefused      = "Refused"      // the operator's trust does not allow the queue's host
	StateShared       = "QueueShared"  // another policy reads this queue
)

// Status is how reading a policy's queue goes.
type Status struct {
	State string
	// Message says why, naming the queue and the fix.
	Message string
	// Since is when State began.
	Since time.Time
	// Messages and Hints count what was read and what it made due.
	Messages, Hints int
}

// Healthy tells whether events arrive (or none are configured).
func (s Status) Healthy() bool { return s.State == StateReceiving || s.State == StateOff }

func stateMessage(state, queue string, err error) string {
	switch state {
	case StateQueueMissing:
		return "the event queue " + queue + " does not exist: create it from config/aws (one per policy) or fix spec.events.queueURL; until then changes are found by polling"
	case StateAccessDenied:
		return "the policy's credentials may not read the event queue " + queue + ": grant sqs:ReceiveMessage and sqs:DeleteMessage on it (config/iam); until then changes are found by polling"
	case StateRefused:
		var refused *awsapi.RefusedError
		if errors.As(err, &refused) {
			return refused.Message
		}
	}
	return "reading the event queue " + queue + " fails (" + err.Error() + "); ecswin keeps trying, and polls meanwhile"
}
