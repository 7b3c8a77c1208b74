package events_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/go-logr/logr/testr"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	awstemplate "github.com/ecswin/ecswin/config/aws"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/metrics"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// world is a simulated account with the event queue config/aws makes
// (its queue attributes and its rules, scoped to the scenario's
// clusters), and ecswin's own client path to it: awsapi's cache, trust
// included (the simulator's host needs --allow-endpoint-overrides).
type world struct {
	sim      *fleetsim.Sim
	clock    *clocktesting.FakeClock
	url      string
	queueURL string
	clients  *awsapi.Cache
	settings awsapi.Settings
	rec      *recorder
}

const document = "ecswin-route-bootstrap"

func newWorld(t *testing.T, scenario string, eb fleetsim.EventBridgeFaults) *world {
	t.Helper()
	s, err := fleetsim.BuiltinScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktesting.NewFakeClock(t0)
	sim, err := fleetsim.New(fleetsim.Options{Clock: clk, EventBridge: &eb}, s)
	if err != nil {
		t.Fatal(err)
	}
	url, stop := sim.Start()
	t.Cleanup(stop)
	var arns []string
	for _, c := range s.Clusters {
		arns = append(arns, "arn:aws:ecs:us-east-1:123456789012:cluster/"+c.Name)
	}
	queueURL, err := awstemplate.Deploy(sim, awstemplate.Parameters{QueueName: "ecswin-events", ClusterARNs: arns})
	if err != nil {
		t.Fatal(err)
	}
	// Three attempts, briefly apart: the SDK's own race on a fast local
	// server (it closes a request body the transport may still read,
	// aws-sdk-go-v2#2737) is retried, as it would be in production.
	cache := awsapi.NewCache(awsapi.Options{
		Trust:       awsapi.Trust{AllowEndpointOverrides: true},
		MaxAttempts: 3,
		MaxBackoff:  5 * time.Millisecond,
		LoadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDSIMULATOR", "simulator-secret", "")),
		},
	})
	spec := v1alpha1.AWSSpec{Region: "us-east-1", Endpoints: &v1alpha1.EndpointsSpec{ECS: url, SSM: url}}
	return &world{
		sim: sim, clock: clk, url: url, queueURL: queueURL, clients: cache,
		settings: awsapi.SettingsFor("p", spec).WithEventQueue(&v1alpha1.EventsSpec{QueueURL: queueURL}),
		rec:      newRecorder(),
	}
}

func (w *world) scope() events.Scope {
	return events.Scope{Region: "us-east-1", Clusters: []string{"windows", "linux"}, Document: document}
}

// source is ecswin's reader of the world's queue.
func (w *world) source(t *testing.T, queueURL string, sink events.Sink) *events.Source {
	t.Helper()
	s := w.settings
	s.EventQueueURL = queueURL
	cl, err := w.clients.ClientsFor(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return &events.Source{
		Policy: "p", QueueURL: queueURL, Scope: w.scope(), SQS: cl.SQS, Clock: w.clock,
		Sink: sink, Recorder: w.rec, Log: testr.New(t),
	}
}

// settle lets EventBridge deliver what is due: a step past its latency.
func (w *world) settle() { w.clock.Step(2 * time.Second) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// recorder counts what a Source and an Inbox record.
type recorder struct {
	mu       sync.Mutex
	read     map[string]int // type/result
	lags     map[string][]time.Duration
	failures map[string]int // operation/kind
	failed   chan string
}

func newRecorder() *recorder {
	return &recorder{read: map[string]int{}, lags: map[string][]time.Duration{}, failures: map[string]int{}, failed: make(chan string, 100)}
}

func (r *recorder) MessageRead(_, typ, res string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.read[typ+"/"+res]++
}

func (r *recorder) HintDue(typ string, lag time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lags[typ] = append(r.lags[typ], lag)
}

func (r *recorder) ReceiveFailed(_, op, kind string) {
	r.mu.Lock()
	r.failures[op+"/"+kind]++
	r.mu.Unlock()
	r.failed <- op + "/" + kind
}

func (r *recorder) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.read {
		out[k] = v
	}
	return out
}

// sink collects delivered hints.
type sink struct {
	mu    sync.Mutex
	hints []events.Hint
}

func (s *sink) Deliver(h []events.Hint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hints = append(s.hints, h...)
}

func (s *sink) take() []events.Hint {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.hints
	s.hints = nil
	return out
}

var _ = aws.String

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return c, cancel
}

// internal/metrics records what the events do.
var _ events.Recorder = (*metrics.Metrics)(nil)

// waitForHub yields while a hub's goroutine gets going.
func waitForHub() { runtime.Gosched() }
