package engine

import (
	"context"
	"sync"
	"time"

	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	queue "github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/metrics"
)

// Deps are what an Engine needs from its host process.
type Deps struct {
	// Clients hands out the AWS clients of a policy; nil means an
	// awsapi.Cache with default options whose calls Metrics counts.
	Clients awsapi.ClientSource
	// Clock is the time source; nil means the real clock.
	Clock clock.PassiveClock
	// Metrics records counters and reads state gauges from this engine;
	// nil records nothing.
	Metrics *metrics.Metrics
	// Parallelism bounds each kind of batched call of one pass in flight
	// at once (describes, task-definition fetches, polls, sends, attribute
	// updates); list chains add two per cluster, eight clusters at a
	// time. 0 means DefaultParallelism.
	Parallelism int
	// PollInterval is how soon to come back while commands are in
	// flight; 0 means DefaultPollInterval.
	PollInterval time.Duration
	// BootstrapSHA256 is the SHA-256 of route-bootstrap.exe that the SSM
	// document pins (buildinfo.RouteBootstrapSHA256, or the operator's
	// --bootstrap-sha256); empty means no run is ever sent, and the
	// RemediationHealthy condition says why.
	BootstrapSHA256 string
	// Hints are the policies' event queues (an events.Hub); nil means
	// polling alone.
	Hints queue.Hints
	// ReadOnly makes every pass read only: no document written, no run
	// sent, no attribute changed; hosts are judged from ECS and the runs
	// SSM already knows of (ecswinctl audit --wait=false).
	ReadOnly bool
}

// Engine runs passes for any number of policies; it is safe for
// concurrent use by passes of different policies.
type Engine struct {
	deps     Deps
	taskDefs *inventory.TaskDefinitionCache
	locks    *hostLocks

	// mu guards policies and each memory's snapshot, which metrics
	// scrapes read while passes run.
	mu       sync.RWMutex
	policies map[PolicyRef]*memory
}

// New returns an Engine. When deps.Metrics is set, the engine becomes the
// source of its state gauges, and build_info shows the hash it pins.
func New(deps Deps) *Engine {
	if deps.Clock == nil {
		deps.Clock = clock.RealClock{}
	}
	if deps.Clients == nil {
		deps.Clients = awsapi.NewCache(awsapi.Options{Observer: deps.Metrics})
	}
	if deps.Parallelism <= 0 {
		deps.Parallelism = DefaultParallelism
	}
	if deps.PollInterval <= 0 {
		deps.PollInterval = DefaultPollInterval
	}
	e := &Engine{
		deps:     deps,
		taskDefs: inventory.NewTaskDefinitionCache(),
		locks:    newHostLocks(),
		policies: map[PolicyRef]*memory{},
	}
	if deps.Metrics != nil {
		deps.Metrics.SetStateSource(e)
		deps.Metrics.SetRouteBootstrapSHA256(deps.BootstrapSHA256)
	}
	return e
}

// Pass runs one reconcile pass of the policy ref with spec: the steps in
// order, then the report, then its publication. It never waits for SSM
// commands: it sends, records and returns, and a later pass reads the
// results. The Result is filled as far as the pass got, also with an
// error; an error wrapping ErrInvalidSpec is terminal.
func (e *Engine) Pass(ctx context.Context, ref PolicyRef, spec v1alpha1.FleetPolicySpec) (Result, error) {
	mem := e.memory(ref)
	mem.passMu.Lock()
	defer mem.passMu.Unlock()
	// Call accounting labels the pass's AWS calls with the policy.
	ctx = awsapi.WithPolicy(ctx, ref.String())
	p, err := e.begin(ctx, ref, mem, spec)
	if err == nil {
		err = p.runSteps(ctx)
	}
	res := report(p.state, p.spec, p.now)
	p.publish(ctx, res)
	return res, err
}

// Forget drops everything the engine remembers about a deleted policy,
// so its metrics series disappear at the next scrape.
func (e *Engine) Forget(ref PolicyRef) {
	e.mu.Lock()
	delete(e.policies, ref)
	e.mu.Unlock()
	e.locks.releaseAll(ref)
	e.deps.Metrics.ForgetPolicy(ref.String())
	if e.deps.Hints != nil {
		e.deps.Hints.Forget(ref.String())
	}
}

// memory returns the memory of ref, creating it on first use.
func (e *Engine) memory(ref PolicyRef) *memory {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.policies[ref]
	if !ok {
		m = newMemory(ref, e.locks)
		e.policies[ref] = m
		e.deps.Metrics.InitPolicy(ref.String())
	}
	return m
}
