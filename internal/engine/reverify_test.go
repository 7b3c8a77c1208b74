package engine_test

import (
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// A converged fleet is left alone until the re-verification period has
// passed; then every host is checked once more.
func TestReverifyEveryHostOncePerPeriod(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	eng := newEngine(env)
	res := run(t, env, eng, policy, spec, 30, converged)
	if !converged(res) {
		t.Fatalf("not converged: %v", res.HostStates)
	}
	cases := []struct {
		step time.Duration
		want int
	}{
		{spec.Intervals.Inventory.Duration, 0},
		{spec.Intervals.Reverify.Duration, int(res.Counts.WindowsInstances)},
		{spec.Intervals.Inventory.Duration, 0},
	}
	for i, c := range cases {
		env.Clock.Step(c.step)
		r, err := eng.Pass(t.Context(), policy, spec)
		if err != nil {
			t.Fatal(err)
		}
		if r.HostsTargeted != c.want {
			t.Errorf("step %d (+%s): %d hosts targeted, want %d", i, c.step, r.HostsTargeted, c.want)
		}
		run(t, env, eng, policy, spec, 30, converged) // let the runs end
	}
}
