// Package simtest is the one place tests and benchmarks set up the fleet
// simulator: the real SDK over HTTP, a fake clock shared by the
// simulator and whatever the test drives, static credentials and short
// retry backoff, and a policy for the simulated fleet with the CRD's
// defaults. It imports no layer above the simulator (no engine, no
// controllers), so the tests of every layer use it; faults come from the
// simulator itself (fleetsim.Sim.FailCalls, SetFaults).
package simtest

import (
	"context"
	"net"
	"net/http"
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
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// BootstrapSHA256 is the route-bootstrap.exe hash test engines pin
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

// Spec is a policy for every cluster of the scenario, in mode, with the
// CRD's defaults for everything it does not set.
func (e *Env) Spec(tb testing.TB, mode v1alpha1.Mode) v1alpha1.FleetPolicySpec {
	tb.Helper()
	clusters := make([]string, 0, len(e.Sim.Scenario().Clusters))
	for _, c := range e.Sim.Scenario().Clusters {
		clusters = append(clusters, c.Name)
	}
	spec, err := policyfile.ApplyDefaults(v1alpha1.FleetPolicySpec{
		AWS: v1alpha1.AWSSpec{
			Region:    e.Sim.Region(),
			Endpoints: &v1alpha1.EndpointsSpec{ECS: e.URL, SSM: e.URL},
		},
		Clusters: clusters,
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
	})
	if err != nil {
		tb.Fatalf("applying the CRD's defaults to the test policy: %v", err)
	}
	return spec
}

// CallsTotal sums the simulator's call counts over both services.
func (e *Env) CallsTotal() int {
	return e.Sim.Calls().Total("").Calls
}
