package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are ecswin's metrics, registered on one registerer. A nil
// *Metrics records nothing, so callers need no checks.
type Metrics struct {
	apiCalls    *prometheus.CounterVec
	throttles   *prometheus.CounterVec
	drift       *prometheus.CounterVec
	repairs     *prometheus.CounterVec
	ssmDuration *prometheus.HistogramVec
	state       *stateCollector
	events      eventMetrics
}

// New creates the metrics and registers them on reg (controller-runtime's
// metrics.Registry in the manager, a fresh registry in ecswinctl).
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "aws", Name: "api_calls_total",
			Help: "AWS API call attempts (retries included) by service, operation and result (success or the error kind).",
		}, []string{LabelService, LabelOperation, LabelResult}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "aws", Name: "api_throttles_total",
			Help: "AWS API call attempts answered with a throttling error, by service and operation.",
		}, []string{LabelService, LabelOperation}),
		drift: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "fleet", Name: "drift_detected_total",
			Help: "Times a host was found drifted (a container lacking the route or a broken credential proxy), by policy and reason.",
		}, []string{LabelPolicy, LabelReason}),
		repairs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "remediation", Name: "repairs_total",
			Help: "Finished route-bootstrap runs on hosts, by policy and result.",
		}, []string{LabelPolicy, LabelResult}),
		ssmDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "ssm", Name: "invocation_duration_seconds",
			Help:    "Time from sending an SSM command to reading its finished invocation on a host, by result.",
			Buckets: prometheus.ExponentialBuckets(5, 2, 11),
		}, []string{LabelResult}),
		state: &stateCollector{},
	}
	for _, c := range append([]prometheus.Collector{m.apiCalls, m.throttles, m.drift, m.repairs, m.ssmDuration, m.state}, m.events.collectors()...) {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering ecswin metrics: %w", err)
		}
	}
	return m, nil
}

// ObserveAPICall counts one AWS call attempt (awsapi.CallObserver).
func (m *Metrics) ObserveAPICall(service, operation, result string, throttled bool) {
	if m == nil {
		return
	}
	m.apiCalls.WithLabelValues(service, operation, result).Inc()
	if throttled {
		m.throttles.WithLabelValues(service, operation).Inc()
	}
}

// DriftDetected counts a host newly found drifted for reason.
func (m *Metrics) DriftDetected(policy, reason string) {
	if m == nil {
		return
	}
	m.drift.WithLabelValues(policy, reason).Inc()
}

// RepairFinished counts a finished run on one host and, when its duration
// is known (took > 0), observes it.
func (m *Metrics) RepairFinished(policy, result string, took time.Duration) {
	if m == nil {
		return
	}
	m.repairs.WithLabelValues(policy, result).Inc()
	if took > 0 {
		m.ssmDuration.WithLabelValues(result).Observe(took.Seconds())
	}
}

// ForgetPolicy deletes the counter series of a deleted policy.
func (m *Metrics) ForgetPolicy(policy string) {
	if m == nil {
		return
	}
	m.drift.DeletePartialMatch(prometheus.Labels{LabelPolicy: policy})
	m.repairs.DeletePartialMatch(prometheus.Labels{LabelPolicy: policy})
	m.events.forget(policy)
}

// SetStateSource makes src the source of the state gauges.
func (m *Metrics) SetStateSource(src StateSource) {
	if m == nil {
		return
	}
	m.state.setSource(src)
}
