package events

import "time"

// Recorder counts what the events do (internal/metrics implements it).
type Recorder interface {
	// MessageRead counts one message of a policy's queue by the event's
	// type and what became of it.
	MessageRead(policy, eventType, result string)
	// HintDue observes the time from an event to the engine taking its
	// hint (the host, task definition or invocation due).
	HintDue(eventType string, lag time.Duration)
	// ReceiveFailed counts a receive or delete that failed, by AWS error
	// kind (awsapi.Kind).
	ReceiveFailed(policy, operation, kind string)
}

type nopRecorder struct{}

func (nopRecorder) MessageRead(string, string, string)   {}
func (nopRecorder) HintDue(string, time.Duration)        {}
func (nopRecorder) ReceiveFailed(string, string, string) {}
