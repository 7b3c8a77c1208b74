// Package enginetest sets up an engine against the fleet simulator for
// tests and benchmarks: the real SDK over HTTP, a fake clock shared by the
// simulator and the engine, static credentials and short retry backoff.
package enginetest

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/metrics"
)

// BootstrapSHA256 is the route-bootstrap.exe hash the test engines pin
// (engine.Deps.BootstrapSHA256), as a release would: any well-formed
// digest, since the simulator runs route-bootstrap's logic directly and
// downloads nothing.
const BootstrapSHA256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// Env is one simulator and the clients that reach it.
type Env struct {
	Sim      *fleetsim.Sim
	URL      string
	Clock    *clocktesting.FakeClock
	Clients  *awsapi.Cache
	Registry *prometheus.Registry
	Metrics  *metrics.Metrics

	stopOnce   sync.Once
	stop       func()
	transports *transports
}

// transports tracks every connection the SDK's transports dial.
type transports struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (t *transports) add(tr *http.Transport) {
	tr.MaxIdleConnsPerHost = 64
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err == nil {
			t.mu.Lock()
			t.conns = append(t.conns, c)
			t.mu.Unlock()
		}
		return c, err
	}
}

func (t *transports) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.conns {
		_ = c.Close()
	}
	t.conns = nil
}

// Close stops the simulator's server and drops it: the Env is done.
// tb's cleanup does it too. Every
// client connection is closed first: the server would otherwise wait five
// seconds for a connection the transport dialled but never used.
func (e *Env) Close() {
	e.stopOnce.Do(func() {
		e.transports.closeAll()
		e.stop()
		// tb's cleanup list keeps e alive to the end of the test; the
		// simulator's fleet and the engines its metrics read from need
		// not stay with it (benchmarks measure the heap).
		e.Sim, e.Clients, e.Metrics, e.Registry = nil, nil, nil, nil
	})
}

// Options tune New.
type Options struct {
	// Sim options; Clock is always the Env's fake clock.
	Sim fleetsim.Options
	// Start is the fake clock's start; zero means the real now.
	Start time.Time
	// Trust is the operator's trust settings for the Env's clients; nil
	// allows the simulator's endpoint (--allow-endpoint-overrides).
	Trust *awsapi.Trust
}

// New starts a simulator of sc and stops it when tb ends.
func New(tb testing.TB, sc *fleetsim.Scenario, opts Options) *Env {
	tb.Helper()
	start := opts.Start
	if start.IsZero() {
		start = time.Now().UTC().Truncate(time.Second)
	}
	clk := clocktesting.NewFakeClock(start)
	simOpts := opts.Sim
	simOpts.Clock = clk
	sim, err := fleetsim.New(simOpts, sc)
	if err != nil {
		tb.Fatalf("building simulator: %v", err)
	}
	url, stop := sim.Start()
	reg := prometheus.NewPedanticRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		tb.Fatalf("registering metrics: %v", err)
	}
	trs := &transports{}
	// The simulator is no AWS endpoint: unless a test says otherwise,
	// the tests are the operator who allows it (--allow-endpoint-overrides).
	trust := awsapi.Trust{AllowEndpointOverrides: true}
	if opts.Trust != nil {
		trust = *opts.Trust
	}
	env := &Env{
		Sim: sim, URL: url, Clock: clk, Registry: reg, Metrics: m, stop: stop, transports: trs,
		Clients: awsapi.NewCache(awsapi.Options{
			Observer:   m,
			MaxBackoff: 5 * time.Millisecond,
			Trust:      trust,
			LoadOptions: []func(*config.LoadOptions) error{
				config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDSIMULATOR", "simulator-secret", "")),
				config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(trs.add)),
				config.WithSharedConfigFiles([]string{}),
				config.WithSharedCredentialsFiles([]string{}),
			},
		}),
	}
	tb.Cleanup(env.Close)
	return env
}

// Engine returns a new engine on the Env's clients, clock and metrics,
// pinning BootstrapSHA256, as a restarted controller would have.
func (e *Env) Engine() *engine.Engine {
	return e.EngineWith(BootstrapSHA256)
}

// EngineWith is Engine pinning another route-bootstrap hash ("" for a
// build that embeds none).
func (e *Env) EngineWith(bootstrapSHA256 string) *engine.Engine {
	return engine.New(engine.Deps{Clients: e.Clients, Clock: e.Clock, Metrics: e.Metrics, BootstrapSHA256: bootstrapSHA256})
}

// Spec is a policy for every cluster of the scenario, in mode.
func (e *Env) Spec(mode v1alpha1.Mode) v1alpha1.FleetPolicySpec {
	clusters := make([]string, 0, len(e.Sim.Scenario().Clusters))
	for _, c := range e.Sim.Scenario().Clusters {
		clusters = append(clusters, c.Name)
	}
	return v1alpha1.FleetPolicySpec{
		AWS: v1alpha1.AWSSpec{
			Region:    e.Sim.Region(),
			Endpoints: &v1alpha1.EndpointsSpec{ECS: e.URL, SSM: e.URL},
		},
		Clusters: clusters,
		// Both routes, not the CRD's default (the credential endpoint
		// alone): the simulated hosts count a container as lacking the
		// route while it lacks either of route-bootstrap's default
		// destinations, which still include IMDS.
		Route: v1alpha1.RouteSpec{Destinations: []string{"169.254.170.2/32", "169.254.169.254/32"}},
		Remediation: v1alpha1.RemediationSpec{
			Mode:      mode,
			HostProxy: v1alpha1.HostProxyEnforce,
			Bootstrap: v1alpha1.BootstrapSource{
				Source: "https://example.com/route-bootstrap.exe",
			},
			MaxInFlight: 5000,
		},
		Intervals: v1alpha1.IntervalsSpec{
			Inventory: metav1.Duration{Duration: 30 * time.Second},
			Reverify:  metav1.Duration{Duration: time.Hour},
		},
	}
}

// Run calls Pass, then advances the clock by the Result's RequeueAfter,
// up to n times or until stop says the result is final. It returns the
// last result.
func (e *Env) Run(tb testing.TB, eng *engine.Engine, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, n int, stop func(engine.Result) bool) engine.Result {
	tb.Helper()
	var res engine.Result
	for i := 0; i < n; i++ {
		var err error
		res, err = eng.Pass(context.Background(), ref, spec)
		if err != nil {
			tb.Fatalf("pass %d: %v", i, err)
		}
		if stop != nil && stop(res) {
			return res
		}
		e.Clock.Step(res.RequeueAfter)
	}
	return res
}

// Converged reports nothing in flight and every host verified and healthy.
func Converged(res engine.Result) bool {
	return res.Counts.RepairsInFlight == 0 && res.Counts.DriftedHosts == 0 &&
		res.HostStates[engine.HostUnverified] == 0 && res.HostStates[engine.HostRepairing] == 0
}

// CallsTotal sums the simulator's call counts over both services.
func (e *Env) CallsTotal() int {
	return e.Sim.Calls().Total("").Calls
}

// Condition finds one step condition in a result.
func Condition(res engine.Result, typ string) engine.StepCondition {
	for _, c := range res.Conditions {
		if c.Type == typ {
			return c
		}
	}
	return engine.StepCondition{}
}

// ConditionsString is for failure messages.
func ConditionsString(res engine.Result) string {
	var b strings.Builder
	for _, c := range res.Conditions {
		b.WriteString(c.Type + "=" + string(c.Status) + "/" + c.Reason + ": " + c.Message + "\n")
	}
	return b.String()
}
