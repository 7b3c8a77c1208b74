package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
)

// Metrics are ecswin's metrics, registered on one registerer. A nil
// *Metrics records nothing, so callers need no checks.
type Metrics struct {
	apiCalls    *prometheus.CounterVec
	throttles   *prometheus.CounterVec
	drift       *prometheus.CounterVec
	repairs     *prometheus.CounterVec
	ssmDuration *prometheus.HistogramVec
	buildInfo   *prometheus.GaugeVec
	state       *stateCollector
	events      eventMetrics
}

// New creates the metrics and registers them on reg (controller-runtime's
// metrics.Registry in the manager, a fresh registry in ecswinctl).
// build_info starts with this build's version, commit and embedded
// route-bootstrap.exe hash; SetRouteBootstrapSHA256 gives the one pinned.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "aws", Name: "api_calls_total",
			Help: "AWS API call attempts (retries included) by policy, service, operation and result (success or the error kind).",
		}, []string{LabelPolicy, LabelService, LabelOperation, LabelResult}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "aws", Name: "api_throttles_total",
			Help: "AWS API call attempts answered with a throttling error, by policy, service and operation.",
		}, []string{LabelPolicy, LabelService, LabelOperation}),
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
			Help:    "Time from sending an SSM command to reading its finished invocation on a host, by policy and result.",
			Buckets: prometheus.ExponentialBuckets(5, 2, 11),
		}, []string{LabelPolicy, LabelResult}),
		buildInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "build_info",
			Help: "Always 1: the release of this process and the route-bootstrap.exe SHA-256 its SSM document pins (empty: none, so no runs are sent).",
		}, []string{LabelVersion, LabelCommit, LabelBootstrapSHA256}),
		state: &stateCollector{},
	}
	for _, c := range append([]prometheus.Collector{m.apiCalls, m.throttles, m.drift, m.repairs, m.ssmDuration, m.buildInfo, m.state}, m.events.collectors()...) {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering ecswin metrics: %w", err)
		}
	}
	m.SetRouteBootstrapSHA256(buildinfo.RouteBootstrapSHA256())
	return m, nil
}

// SetRouteBootstrapSHA256 makes build_info show hash as the pinned
// route-bootstrap.exe (the operator's --bootstrap-sha256 or the build's).
func (m *Metrics) SetRouteBootstrapSHA256(hash string) {
	if m == nil {
		return
	}
	m.buildInfo.Reset()
	m.buildInfo.WithLabelValues(buildinfo.Version(), buildinfo.Commit(), hash).Set(1)
}

// ObserveAPICall counts one AWS call attempt (awsapi.CallObserver).
func (m *Metrics) ObserveAPICall(c awsapi.APICall) {
	if m == nil {
		return
	}
	m.apiCalls.WithLabelValues(c.Policy, c.Service, c.Operation, c.Result).Inc()
	if c.Throttled {
		m.throttles.WithLabelValues(c.Policy, c.Service, c.Operation).Inc()
	}
}

// InitPolicy starts a policy's counters at zero for every label value
// known in advance: each repair result and drift reason, and, for every
// operation ecswin calls, its successes, its throttles and the throttled
// attempts. Rates and ratios over them then read 0, not "no data",
// until something happens. Other error kinds appear when they occur.
func (m *Metrics) InitPolicy(policy string) {
	if m == nil {
		return
	}
	for _, r := range RepairResults {
		m.repairs.WithLabelValues(policy, r)
	}
	for _, r := range DriftReasons {
		m.drift.WithLabelValues(policy, r)
	}
	for _, op := range awsapi.APIOperations() {
		m.apiCalls.WithLabelValues(policy, op.Service, op.Name, awsapi.ResultSuccess)
		m.apiCalls.WithLabelValues(policy, op.Service, op.Name, awsapi.ResultLabel(awsapi.KindThrottled))
		m.throttles.WithLabelValues(policy, op.Service, op.Name)
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
		m.ssmDuration.WithLabelValues(policy, result).Observe(took.Seconds())
	}
}

// ForgetPolicy deletes the counter and histogram series of a deleted
// policy.
func (m *Metrics) ForgetPolicy(policy string) {
	if m == nil {
		return
	}
	only := prometheus.Labels{LabelPolicy: policy}
	m.drift.DeletePartialMatch(only)
	m.repairs.DeletePartialMatch(only)
	m.apiCalls.DeletePartialMatch(only)
	m.throttles.DeletePartialMatch(only)
	m.ssmDuration.DeletePartialMatch(only)
	m.events.forget(policy)
}

// SetStateSource makes src the source of the state gauges.
func (m *Metrics) SetStateSource(src StateSource) {
	if m == nil {
		return
	}
	m.state.setSource(src)
}
