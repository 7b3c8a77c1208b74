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
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/fleetsim/ssmapi"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Options tune a simulator beyond its scenario.
type Options struct {
	// Seed, when non-zero, replaces the scenario's seed.
	Seed uint64
	// Clock is the simulator's time; default the real clock. Tests pass
	// a k8s.io/utils/clock/testing.FakeClock.
	Clock clock.PassiveClock
	// Sleep waits out injected latency; default a real timer (latency
	// is meant to cost wall time in benchmarks).
	Sleep faults.Sleeper
	// SSMTiming, when set, replaces the scenario's SSM timing.
	SSMTiming *SSMTiming
	// Faults, when set, replaces the scenario's API faults.
	Faults *FaultConfig
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
	injector *faults.Injector
	counter  calls.Counter
	mux      *wire.Mux

	events []scheduledEvent
	fired  []FiredEvent
}

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
	models := opts.Models
	if models == nil {
		models = apimodel.Embedded()
	}
	sim.mux = wire.NewMux(interceptor{sim}, models)
	sim.ecs.Register(sim.mux)
	sim.ssm.Register(sim.mux)
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
	return (len(s.events) > 0 && !s.events[0].at.After(now)) || s.ssm.Due(now)
}

func (s *Sim) catchUp() {
	now := s.clock.Now()
	s.fireEvents(now)
	s.ssm.Advance(now)
}

// Handler serves both services on POST /.
func (s *Sim) Handler() http.Handler { return s.mux }

// Scenario is the scenario the fleet was built from (seed resolved).
func (s *Sim) Scenario() *Scenario { return s.scenario }

// Region is the simulated region.
func (s *Sim) Region() string { return s.fleet.Region }
