package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// eventMetrics are the metrics of the event queues (internal/events) and
// of the runs that events and learning spare.
type eventMetrics struct {
	messages, failures, avoided *prometheus.CounterVec
	lag                         *prometheus.HistogramVec
}

// collectors makes the event metrics and lists them for registration.
func (e *eventMetrics) collectors() []prometheus.Collector {
	e.messages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "events", Name: "messages_total",
		Help: "Messages read from a policy's event queue, by event type (task, container_instance, service_action, invocation, unknown) and " +
			"result (handled, ignored, duplicate, stale, foreign, malformed, oversized, poison); every one is deleted.",
	}, []string{LabelPolicy, LabelType, LabelResult})
	e.lag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Subsystem: "events", Name: "lag_seconds",
		Help:    "Time from an event (its EventBridge time) to the engine taking its hint: the host, task definition or invocation due, by event type.",
		Buckets: prometheus.ExponentialBuckets(0.5, 2, 14),
	}, []string{LabelType})
	e.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "events", Name: "queue_errors_total",
		Help: "Failed reads and deletes of a policy's event queue, by operation and error kind (not_found, access_denied, throttled, ...).",
	}, []string{LabelPolicy, LabelOperation, LabelKind})
	e.avoided = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "remediation", Name: "runs_avoided_total",
		Help: "New tasks that sent no route-bootstrap run to their host, by policy and reason: no_nat_containers (the task's definition " +
			"needs no route), revision_carries_route (its revision's tasks carried the route when first checked).",
	}, []string{LabelPolicy, LabelReason})
	return []prometheus.Collector{e.messages, e.lag, e.failures, e.avoided}
}

// forget deletes a deleted policy's event series.
func (e *eventMetrics) forget(policy string) {
	for _, c := range []*prometheus.CounterVec{e.messages, e.failures, e.avoided} {
		c.DeletePartialMatch(prometheus.Labels{LabelPolicy: policy})
	}
}

// Reasons a new task sent no run (RunAvoided).
const (
	AvoidedNoNATContainers      = "no_nat_containers"
	AvoidedRevisionCarriesRoute = "revision_carries_route"
)

// MessageRead counts a message of a policy's event queue (events.Recorder).
func (m *Metrics) MessageRead(policy, eventType, result string) {
	if m == nil {
		return
	}
	m.events.messages.WithLabelValues(policy, eventType, result).Inc()
}

// HintDue observes an event's lag to its hint being taken (events.Recorder).
func (m *Metrics) HintDue(eventType string, lag time.Duration) {
	if m == nil {
		return
	}
	m.events.lag.WithLabelValues(eventType).Observe(max(lag, 0).Seconds())
}

// ReceiveFailed counts a failed read or delete of an event queue
// (events.Recorder).
func (m *Metrics) ReceiveFailed(policy, operation, kind string) {
	if m == nil {
		return
	}
	m.events.failures.WithLabelValues(policy, operation, kind).Inc()
}

// RunAvoided counts a new task that sent its host no run, for reason.
func (m *Metrics) RunAvoided(policy, reason string) {
	if m == nil {
		return
	}
	m.events.avoided.WithLabelValues(policy, reason).Inc()
}
