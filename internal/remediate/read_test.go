package remediate

import (
	"testing"
	"time"

	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Outcomes of a reading: ended hosts once, hosts still running kept,
// hosts never listed or unread lost only past GiveUpAt, a command SSM no
// longer knows lost whole only then.
func TestReadingOutcomes(t *testing.T) {
	now := time.Unix(10_000, 0)
	cmd := Command{ID: "c-1", InstanceIDs: []string{"i-1", "i-2", "i-3", "i-4"}, SentAt: now.Add(-time.Minute),
		RequestedAt: now.Add(-time.Minute), GiveUpAt: now.Add(time.Hour), Ended: map[string]bool{"i-4": true}}
	timedOut := Invocation{CommandID: "c-1", InstanceID: "i-1", Status: ssmtypes.CommandInvocationStatusTimedOut,
		StatusDetails: "Delivery Timed Out", ExitCode: NoExitCode, Finished: now.Add(-10 * time.Second)}
	running := Invocation{CommandID: "c-1", InstanceID: "i-2", Status: ssmtypes.CommandInvocationStatusInProgress, ExitCode: NoExitCode}
	past := func(c Command) Command { c.GiveUpAt = now.Add(-time.Second); return c }
	cases := map[string]struct {
		r        Reading
		want     map[string]Result
		finished bool
	}{
		"one ended, one running, one not listed yet": {
			r:    Reading{Command: cmd, Listed: true, Invocations: []Invocation{timedOut, running}},
			want: map[string]Result{"i-1": ResultTimedOut},
		},
		"past the deadline": {
			r:        Reading{Command: past(cmd), Listed: true, Invocations: []Invocation{timedOut, running}},
			want:     map[string]Result{"i-1": ResultTimedOut, "i-2": ResultLost, "i-3": ResultLost},
			finished: true,
		},
		"unread output stays in flight past the deadline": {
			r:    Reading{Command: past(cmd), Listed: true, Invocations: []Invocation{timedOut}, Unread: []string{"i-2", "i-3"}},
			want: map[string]Result{"i-1": ResultTimedOut},
		},
		"listing failed": {
			r: Reading{Command: past(cmd)},
		},
		"gone before the deadline": {
			r: Reading{Command: cmd, Gone: true},
		},
		"gone after it": {
			r:        Reading{Command: past(cmd), Gone: true},
			want:     map[string]Result{"i-1": ResultLost, "i-2": ResultLost, "i-3": ResultLost},
			finished: true,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			outs, finished := c.r.Outcomes(now)
			got := map[string]Result{}
			for _, o := range outs {
				if _, twice := got[o.InstanceID]; twice {
					t.Errorf("%s ended twice", o.InstanceID)
				}
				got[o.InstanceID] = o.Result
			}
			if len(got) != len(c.want) || finished != c.finished {
				t.Fatalf("outcomes %v (finished %v), want %v (finished %v)", got, finished, c.want, c.finished)
			}
			for id, want := range c.want {
				if got[id] != want {
					t.Errorf("%s: %s, want %s", id, got[id], want)
				}
			}
			for _, o := range outs {
				if o.Result == ResultTimedOut && o.Took != 50*time.Second {
					t.Errorf("i-1 took %s, want the 50s from SSM's request to the step's end", o.Took)
				}
			}
		})
	}
}
