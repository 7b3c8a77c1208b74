package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// newEventMetrics makes the metrics of the event queues (internal/events).
func (m *Metrics) newEventMetrics() {
	m.eventMessages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "events", Name: "messages_total",
		Help: "Messages read from a policy's event queue, by event type (task, container_instance, service_action, invocation, unknown) and " +
			"result (handled, ignored, duplicate, stale, foreign, malformed, oversized, poison); every one is deleted.",
	}, []string{LabelPolicy, LabelType, LabelResult})
	m.eventLag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Subsystem: "events", Name: "lag_seconds",
		Help:    "Time from an event (its EventBridge time) to the engine taking its hint: the host, task definition or invocation due, by event type.",
		Buckets: prometheus.ExponentialBuckets(0.5, 2, 14),
	}, []string{LabelType})
	m.eventFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "events", Name: "queue_errors_total",
		Help: "Failed reads and deletes of a policy's event queue, by operation and error kind (not_found, access_denied, throttled, ...).",
	}, []string{LabelPolicy, LabelOperation, LabelKind})
}

// MessageRead counts a message of a policy's event queue (events.Recorder).
func (m *Metrics) MessageRead(policy, eventType, result string) {
	if m == nil {
		return
	}
	m.eventMessages.WithLabelValues(policy, eventType, result).Inc()
}

// HintDue observes an event's lag to its hint being taken (events.Recorder).
func (m *Metrics) HintDue(eventType string, lag time.Duration) {
	if m == nil {
		return
	}
	m.eventLag.WithLabelValues(eventType).Observe(max(lag, 0).Seconds())
}

// ReceiveFailed counts a failed read or delete of an event queue
// (events.Recorder).
func (m *Metrics) ReceiveFailed(policy, operation, kind string) {
	if m == nil {
		return
	}
	m.eventFailures.WithLabelValues(policy, operation, kind).Inc()
}
