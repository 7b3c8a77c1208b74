package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

var policy = engine.PolicyRef{Namespace: "default", Name: "fleet"}

// simWindows selects the simulator's Windows hosts.
var simWindows = fleetsim.InstanceFilter{WindowsOnly: true}

// smallEnv is the simulator on the built-in small scenario.
func smallEnv(t *testing.T) *simtest.Env {
	t.Helper()
	return smallEnvWith(t, simtest.Options{})
}

// smallEnvWith is smallEnv with options (an operator's Trust).
func smallEnvWith(t *testing.T, opts simtest.Options) *simtest.Env {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatalf("loading scenario: %v", err)
	}
	return simtest.New(t, sc, opts)
}

// newEngine is an engine on the Env's clients, clock and metrics,
// pinning simtest.BootstrapSHA256, as a restarted controller would have.
func newEngine(env *simtest.Env) *engine.Engine {
	return newEngineWith(env, simtest.BootstrapSHA256)
}

// newEngineWith is newEngine pinning another route-bootstrap hash (""
// for a build that embeds none).
func newEngineWith(env *simtest.Env, bootstrapSHA256 string) *engine.Engine {
	return engine.New(engine.Deps{Clients: env.Clients, Clock: env.Clock, Metrics: env.Metrics, BootstrapSHA256: bootstrapSHA256})
}

// run calls Pass, then advances the clock by the Result's RequeueAfter,
// up to n times or until stop says the result is final. It returns the
// last result.
func run(tb testing.TB, env *simtest.Env, eng *engine.Engine, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, n int, stop func(engine.Result) bool) engine.Result {
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
		env.Clock.Step(res.RequeueAfter)
	}
	return res
}

// converged: nothing in flight and every host verified and healthy.
func converged(res engine.Result) bool {
	return res.Counts.RepairsInFlight == 0 && res.Counts.DriftedHosts == 0 &&
		res.HostStates[engine.HostUnverified] == 0 && res.HostStates[engine.HostRepairing] == 0
}

// settled: nothing in flight and every host's state known.
func settled(res engine.Result) bool {
	return res.Counts.RepairsInFlight == 0 && res.HostStates[engine.HostUnverified] == 0
}

// conditionsString is for failure messages.
func conditionsString(res engine.Result) string {
	var b strings.Builder
	for _, c := range res.Conditions {
		b.WriteString(c.Type + "=" + string(c.Status) + "/" + c.Reason + ": " + c.Message + "\n")
	}
	return b.String()
}
