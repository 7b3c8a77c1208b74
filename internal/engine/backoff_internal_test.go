package engine

import (
	"testing"
	"time"
)

func TestBackoffDoublesToReverify(t *testing.T) {
	base, reverify := 3*time.Minute, 6*time.Hour
	want := []time.Duration{3, 3, 6, 12, 24, 48, 96, 192, 360, 360}
	for failed, w := range want {
		if got := backoff(base, reverify, failed); got != w*time.Minute {
			t.Errorf("backoff after %d failure(s) = %s, want %s", failed, got, w*time.Minute)
		}
	}
	if got := backoff(time.Hour, 30*time.Minute, 1); got != 30*time.Minute {
		t.Errorf("a retry interval longer than reverify gives %s, want reverify", got)
	}
}

// The replay reads as many runs as it takes the back-off to reach the
// reverify period, and never fewer than the RepairNotTaking flag needs.
func TestReplayDepth(t *testing.T) {
	cases := []struct {
		base, reverify time.Duration
		want           int
	}{
		{3 * time.Minute, 6 * time.Hour, 8},
		{30 * time.Second, 168 * time.Hour, 16},
		{3 * time.Minute, 5 * time.Minute, repairStallRuns},
	}
	for _, c := range cases {
		n := replayDepth(c.base, c.reverify)
		if n != c.want {
			t.Errorf("replayDepth(%s, %s) = %d, want %d", c.base, c.reverify, n, c.want)
		}
		if backoff(c.base, c.reverify, n) != c.reverify {
			t.Errorf("%d failures replayed do not bring the back-off to reverify %s", n, c.reverify)
		}
	}
}
