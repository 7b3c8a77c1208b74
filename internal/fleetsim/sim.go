package fleetsim

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
	"github.com/ecswin/ecswin/internal/fleetsim/calls"
	"github.com/ecswin/ecswin/internal/fleetsim/ecsapi"
	"github.com/ecswin/ecswin/internal/fleetsim/eventbus"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/fleetsim/sqsapi"
	"github.com/ecswin/ecswin/internal/fleetsim/ssmapi"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Options tune a simulator beyond its scenario.
type Options struct {
	// Seed, when non-zero, replaces the scenario's seed.
	Seed uint64
	// Clock is the simulator's time; default the real clock. Tests pass
	// a k8s.io/utils/clock/testing.FakeClock. SQS long polls wait on its
	// timers when it has them (a clock.Clock); on a passive clock every
	// receive returns at once.
	Clock clock.PassiveClock
	// Sleep waits out injected latency; default a real timer (latency
	// is meant to cost wall time in benchmarks).
	Sleep faults.Sleeper
	// SSMTiming, when set, replaces the scenario's SSM timing.
	SSMTiming *SSMTiming
	// Faults, when set, replaces the scenario's API faults.
	Faults *FaultConfig
	// EventBridge, when set, replaces the scenario's EventBridge faults.
	EventBridge *EventBridgeFaults
	// Models are the service-model rules every request is checked
	// against before any service logic; nil means the ones generated
	// into package apimodel. The conformance test passes the rules of
	// the botocore model it checks the simulator against.
	Models apimodel.Set
}

// Aliases so that callers need only this package.
type (
	// Scenario is one simulated AWS account and region.
	Scenario = scenario.Scenario
	// FaultConfig is the injected misbehaviour of the API itself.
	FaultConfig = faults.Config
	// SSMTiming says how fast SSM commands move.
	SSMTiming = ssmapi.Timing
	// HostState is what a test can assert about one host.
	HostState = fleet.HostState
	// Summary counts the state of the whole fleet (active instances only).
	Summary = fleet.Summary
	// CallCounts is a copy of the per-operation call counters at one moment.
	CallCounts = calls.Snapshot
	// CallCount is what happened to the calls of one operation.
	CallCount = calls.Count
	// Behavior says how a host runs SSM commands.
	Behavior = fleet.Behavior
	// EventBridgeFaults is how events reach the queues.
	EventBridgeFaults = eventbus.Faults
	// EventBusStats counts what EventBridge did.
	EventBusStats = eventbus.Stats
	// Outage is a time a host was broken (lacked the route somewhere or
	// had a dead credential proxy), the ground truth for time-to-fix.
	Outage = fleet.Outage
)

// Command behaviours for SetCommandBehavior.
const (
	BehaveNormally = fleet.BehaveNormally
	BehaveHang     = fleet.BehaveHang
	BehaveFail     = fleet.BehaveFail
)

// BuiltinScenario loads a scenario shipped with the simulator ("demo", "small").
func BuiltinScenario(name string) (*Scenario, error) { return scenario.Builtin(name) }

// LoadScenario loads a built-in scenario by name or a YAML file by path.
func LoadScenario(nameOrPath string) (*Scenario, error) { return scenario.Resolve(nameOrPath) }

// GenerateScenario builds a large fleet's scenario (see scenario.Size).
func GenerateScenario(size scenario.Size) *Scenario { return scenario.Generate(size) }

// Sim is one simulated AWS account and region.
type Sim struct {
	mu       sync.RWMutex
	clock    clock.PassiveClock
	started  time.Time
	scenario *Scenario
	fleet    *fleet.Fleet
	ecs      *ecsapi.API
	ssm      *ssmapi.API
	sqs      *sqsapi.API
	bus      *eventbus.Bus
	injector *faults.Injector
	counter  calls.Counter
	mux      *wire.Mux

	events []scheduledEvent
	fired  []FiredEvent
	churn  *churn
	// endpoint is the host:port Serve listens on, for queue URLs.
	endpoint string
	// retryAt is when the service scheduler next retries services whose
	// tasks cannot place (each retry fails placement again).
	retryAt time.Time
}

// placementRetry is how often the service scheduler retries a service
// whose tasks cannot place, failing placement (and telling EventBridge)
// each time.
const placementRetry = 10 * time.Minute

// New builds the fleet that s describes.
func New(opts Options, s *Scenario) (*Sim, error) {
	if s == nil {
		return nil, fmt.Errorf("fleetsim: no scenario")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	seed := s.Seed
	if opts.Seed != 0 {
		seed = opts.Seed
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.RealClock{}
	}
	sc := *s
	sc.Seed = seed
	f, err := fleet.Build(&sc, clk.Now)
	if err != nil {
		return nil, fmt.Errorf("building fleet: %w", err)
	}
	timing := ssmapi.Timing{
		Visibility: time.Duration(s.SSM.Visibility),
		Delivery:   time.Duration(s.SSM.Delivery),
		Execution:  time.Duration(s.SSM.Execution),
	}
	if opts.SSMTiming != nil {
		timing = *opts.SSMTiming
	}
	sim := &Sim{
		clock:    clk,
		started:  clk.Now(),
		scenario: &sc,
		fleet:    f,
		injector: faults.NewInjector(seed, opts.Sleep),
	}
	cfg := s.Faults
	if opts.Faults != nil {
		cfg = *opts.Faults
	}
	sim.injector.Set(cfg)
	guard := wire.Guard{Write: sim.enter, Read: sim.enterRead}
	sim.ecs = &ecsapi.API{Fleet: f, Guard: guard}
	sim.ssm = ssmapi.New(f, clk.Now, timing, seed)
	sim.ssm.Guard = guard
	sim.sqs = sqsapi.New(f.AccountID, f.Region, clk.Now, seed)
	sim.sqs.Guard = guard
	sim.sqs.Clock, _ = clk.(clock.Clock)
	sim.sqs.NextChange = sim.nextChange
	sim.bus = eventbus.New(f.AccountID, f.Region, seed, sim.sqs.Deliver)
	bus := s.EventBridge
	if opts.EventBridge != nil {
		bus = *opts.EventBridge
	}
	sim.bus.SetFaults(bus)
	f.Watch(publisher{sim})
	sim.ssm.OnInvocation = publisher{sim}.invocationChanged
	if s.Churn != nil {
		sim.churn = newChurn(*s.Churn, f.Candidates(s.Churn.Cluster, true), sim.started, seed)
	}
	sim.retryAt = sim.started.Add(placementRetry)
	models := opts.Models
	if models == nil {
		models = apimodel.Embedded()
	}
	sim.mux = wire.NewMux(interceptor{sim}, models)
	sim.ecs.Register(sim.mux)
	sim.ssm.Register(sim.mux)
	sim.sqs.Register(sim.mux)
	sim.schedule(s.Events)
	return sim, nil
}

// interceptor injects faults and counts calls.
type interceptor struct{ s *Sim }

func (i interceptor) Before(ctx context.Context, c wire.Call, svc *wire.Service) error {
	return i.s.injector.Before(ctx, c, svc)
}

func (i interceptor) After(c wire.Call, err error) { i.s.counter.Record(c, err) }

// enter locks the simulator and brings clock-driven state up to now.
func (s *Sim) enter() (leave func()) {
	s.mu.Lock()
	s.catchUp()
	return s.mu.Unlock
}

// enterRead lets read-only operations run side by side; it catches up
// under the write lock first when clock-driven state is due to change.
func (s *Sim) enterRead() (leave func()) {
	s.mu.RLock()
	if s.due(s.clock.Now()) {
		s.mu.RUnlock()
		s.enter()()
		s.mu.RLock()
	}
	return s.mu.RUnlock
}

func (s *Sim) due(now time.Time) bool {
	t, ok := s.nextChange()
	return ok && !t.After(now)
}

// nextChange is the time of the next clock-driven change: a scenario
// event, a churn replacement, a placement retry or an SSM command's
// next step. Called under the lock.
func (s *Sim) nextChange() (time.Time, bool) {
	next, ok := s.ssm.NextWake()
	consider := func(t time.Time, has bool) {
		if has && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	if len(s.events) > 0 {
		consider(s.events[0].at, true)
	}
	consider(s.churn.next())
	consider(s.retryAt, true)
	return next, ok
}

// catchUp plays every change due by now in time order, each at its own
// time, so that an SSM command that ended before a task started does
// not see that task, and every event and outage carries the time it
// happened.
func (s *Sim) catchUp() {
	now := s.clock.Now()
	var last time.Time
	for {
		t, ok := s.nextChange()
		if !ok || t.After(now) || (!last.IsZero() && !t.After(last) && s.stuckAt(t)) {
			break
		}
		last = t
		restore := s.fleet.At(t)
		s.fireEvents(t)
		s.churn.fire(t, s.fleet)
		if !s.retryAt.After(t) {
			s.fleet.RetryPlacement()
			s.retryAt = t.Add(placementRetry)
		}
		restore()
		s.ssm.Advance(t)
	}
	s.ssm.Advance(now)
}

// stuckAt tells whether playing t again would change nothing: only SSM
// can report a wake time it does not move past, and Advance(now) after
// the loop plays it anyway.
func (s *Sim) stuckAt(t time.Time) bool {
	w, ok := s.ssm.NextWake()
	return ok && !w.After(t)
}

// Handler serves both services on POST /.
func (s *Sim) Handler() http.Handler { return s.mux }

// Scenario is the scenario the fleet was built from (seed resolved).
func (s *Sim) Scenario() *Scenario { return s.scenario }

// Region is the simulated region.
func (s *Sim) Region() string { return s.fleet.Region }
