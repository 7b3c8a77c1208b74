// Package faults decides, call by call, whether the simulator answers
// with a throttle or a server error and how long it waits first. Every
// draw comes from one seeded source, so a run with the same seed and the
// same call order injects the same faults.
package faults

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Config is the injected misbehaviour of the API itself.
type Config struct {
	// ThrottleFraction of calls (0..1) answer ThrottlingException.
	ThrottleFraction float64 `json:"throttleFraction,omitempty"`
	// ServerErrorFraction of calls (0..1) answer the service's 5xx.
	ServerErrorFraction float64 `json:"serverErrorFraction,omitempty"`
	// Latency is added to every call before it is answered.
	Latency Duration `json:"latency,omitempty"`
	// Operations limits the fractions to these operation names; empty
	// means every operation.
	Operations []string `json:"operations,omitempty"`
}

// Sleeper waits d or until ctx ends; tests inject one that does not
// block, the server uses real timers so latency costs real time.
type Sleeper func(ctx context.Context, d time.Duration) error

// RealSleep waits on a real timer.
func RealSleep(ctx context.Context, d time.Duration) error { return hostos.SleepContext(ctx, d) }

// Failure answers chosen calls of one operation with an AWS error, the
// same way every run: the Nth call of the operation (counting from 1,
// retries included) and the Times-1 calls after it.
type Failure struct {
	Operation string
	// Code is the AWS error code (AccessDeniedException, InvalidDocument,
	// InvocationDoesNotExist...), answered with HTTP 400.
	Code string
	// Nth is the first call that fails; 0 means the next one.
	Nth int
	// Times is how many calls in a row fail; 0 means one.
	Times int
}

// Injector applies a Config to calls.
type Injector struct {
	mu    sync.Mutex
	cfg   Config
	rng   *rand.Rand
	sleep Sleeper
	// failures are the deterministic ones, with the calls of each
	// operation counted since it was added.
	failures []*pendingFailure
}

type pendingFailure struct {
	Failure
	seen int
}

// NewInjector returns an Injector drawing from seed; sleep nil means RealSleep.
func NewInjector(seed uint64, sleep Sleeper) *Injector {
	if sleep == nil {
		sleep = RealSleep
	}
	return &Injector{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), sleep: sleep}
}

// Set replaces the configuration.
func (in *Injector) Set(cfg Config) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.cfg = cfg
}

// Get returns the configuration in force.
func (in *Injector) Get() Config {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.cfg
}

// Fail adds a deterministic failure; the calls it counts start now.
func (in *Injector) Fail(f Failure) {
	in.mu.Lock()
	defer in.mu.Unlock()
	f.Nth, f.Times = max(f.Nth, 1), max(f.Times, 1)
	in.failures = append(in.failures, &pendingFailure{Failure: f})
}

// failure counts the call against every failure of its operation and
// returns the code of the first one it falls on.
func (in *Injector) failure(op string) (string, bool) {
	code, hit := "", false
	for _, f := range in.failures {
		if f.Operation != op {
			continue
		}
		f.seen++
		if !hit && f.seen >= f.Nth && f.seen < f.Nth+f.Times {
			code, hit = f.Code, true
		}
	}
	return code, hit
}

// Before waits the configured latency, then draws the call's fate.
func (in *Injector) Before(ctx context.Context, c wire.Call, svc *wire.Service) error {
	in.mu.Lock()
	failCode, fail := in.failure(c.Operation)
	cfg := in.cfg
	var draw float64
	applies := in.applies(c.Operation)
	if applies && (cfg.ThrottleFraction > 0 || cfg.ServerErrorFraction > 0) {
		draw = in.rng.Float64()
	} else {
		draw = 2 // never below a fraction
	}
	in.mu.Unlock()

	if cfg.Latency > 0 {
		if err := in.sleep(ctx, time.Duration(cfg.Latency)); err != nil {
			return wire.ClientErr("RequestCanceled", "request canceled: %v", err)
		}
	}
	switch {
	case fail:
		return wire.ClientErr(failCode, "injected by the simulator (call of %s chosen to fail)", c.Operation)
	case draw < cfg.ThrottleFraction:
		return wire.ClientErr(wire.CodeThrottling, "Rate exceeded")
	case draw < cfg.ThrottleFraction+cfg.ServerErrorFraction:
		return wire.ServerErr(svc.ServerErrorCode, "We encountered an internal error. Please try again.")
	}
	return nil
}

func (in *Injector) applies(op string) bool {
	if len(in.cfg.Operations) == 0 {
		return true
	}
	for _, o := range in.cfg.Operations {
		if o == op {
			return true
		}
	}
	return false
}
