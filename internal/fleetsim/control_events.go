package fleetsim

import (
	"context"
	"fmt"
)

// CreateQueue creates a standard SQS queue (attributes as SQS names
// them, such as ReceiveMessageWaitTimeSeconds) and returns its URL on
// the simulator's endpoint; the simulator must be serving (Start).
func (s *Sim) CreateQueue(name string, attrs map[string]string) (string, error) {
	leave := s.enter()
	defer leave()
	if s.endpoint == "" {
		return "", fmt.Errorf("fleetsim: start the simulator before creating queues (their URLs name its endpoint)")
	}
	if q := s.sqs.Queue(name); q != nil {
		return s.sqs.URL(s.endpoint, name), nil
	}
	if err := s.sqs.Create(name, attrs); err != nil {
		return "", err
	}
	return s.sqs.URL(s.endpoint, name), nil
}

// QueueURL is the URL of a queue of that name on the simulator's
// endpoint, whether or not the queue exists (a test of a missing queue
// wants one).
func (s *Sim) QueueURL(name string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sqs.URL(s.endpoint, name)
}

// QueueDepth counts a queue's messages: receivable now, in flight
// (received, not deleted, invisible) and delayed (not yet delivered).
func (s *Sim) QueueDepth(name string) (visible, inFlight, delayed int, ok bool) {
	leave := s.enter()
	defer leave()
	return s.sqs.Depth(name)
}

// DenyQueue makes every call on the queue answer AccessDenied, as an
// identity without the SQS permissions gets, or allows it again.
func (s *Sim) DenyQueue(name string, denied bool) {
	leave := s.enter()
	defer leave()
	s.sqs.Deny(name, denied)
}

// PutRule creates or replaces an EventBridge rule of the default bus
// whose target is the named queue; pattern is an event pattern (JSON).
func (s *Sim) PutRule(name string, pattern []byte, queue string) error {
	leave := s.enter()
	defer leave()
	return s.bus.PutRule(name, pattern, queue)
}

// SetEventBridgeFaults replaces how events reach the queues.
func (s *Sim) SetEventBridgeFaults(f EventBridgeFaults) {
	leave := s.enter()
	defer leave()
	s.bus.SetFaults(f)
}

// EventBus counts the events published, matched, delivered, duplicated
// and dropped so far.
func (s *Sim) EventBus() EventBusStats {
	leave := s.enter()
	defer leave()
	return s.bus.Stats()
}

// WaitIdleReceivers blocks until at least n SQS long polls wait with
// nothing to receive before the clock moves on: on a fake clock, every
// message due by now has been received, and the clients that long-poll
// again have handled what they got. Benchmarks call it after each step.
func (s *Sim) WaitIdleReceivers(ctx context.Context, n int) error {
	return s.sqs.WaitIdle(ctx, n, s.enter)
}

// Outages lists every outage of a Windows host: ended ones in the order
// they ended, then open ones (Fixed zero).
func (s *Sim) Outages() []Outage {
	leave := s.enter()
	defer leave()
	return s.fleet.Outages()
}

// ChurnStarts counts the tasks the churn started, and of them those
// whose containers lacked the route.
func (s *Sim) ChurnStarts() (started, lacking int) {
	leave := s.enter()
	defer leave()
	if s.churn == nil {
		return 0, 0
	}
	return s.churn.started, s.churn.lacking
}

// ClusterARN is the ARN of the simulated cluster name, as an EventBridge
// rule scoped to it names it (config/aws's ClusterArns).
func (s *Sim) ClusterARN(name string) string {
	leave := s.enterRead()
	defer leave()
	return s.fleet.ClusterARN(name)
}
