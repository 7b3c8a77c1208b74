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

// Injector applies a Config to calls.
type Injector struct {
	mu    sync.Mutex
	cfg   Config
	rng   *rand.Rand
	sleep Sleeper
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

// Before waits the configured latency, then draws the call's fate.
func (in *Injector) Before(ctx context.Context, c wire.Call, svc *wire.Service) error {
	in.mu.Lock()
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
