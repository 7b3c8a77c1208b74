package events_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/events"
)

func hostHint(n int, kind events.Kind, at time.Time) events.Hint {
	return events.Hint{Kind: kind, ContainerInstanceARN: fmt.Sprintf("arn:ci/%03d", n), TaskARN: fmt.Sprintf("arn:task/%d", n),
		TaskDefinitionARN: "arn:td/web:1", InstanceID: "i-1", At: at, Received: at.Add(time.Second)}
}

func TestInbox(t *testing.T) {
	tests := map[string]func(t *testing.T, b *events.Inbox, rec *recorder){
		"hosts wait for the debounce, then go together": func(t *testing.T, b *events.Inbox, rec *recorder) {
			b.Deliver([]events.Hint{hostHint(1, events.HostDue, t0)})
			b.Deliver([]events.Hint{hostHint(2, events.HostDue, t0.Add(2*time.Second))})
			ready, ok := b.ReadyAt()
			if !ok || !ready.Equal(t0.Add(time.Second+events.Debounce)) {
				t.Fatalf("ready at %v %v", ready, ok)
			}
			if got := b.Take(ready.Add(-time.Millisecond)); !got.Empty() {
				t.Fatalf("early: %+v", got)
			}
			got := b.Take(ready)
			if len(got.Hosts) != 2 || got.Hosts[0].ContainerInstanceARN != "arn:ci/001" {
				t.Fatalf("batch %+v", got)
			}
			if _, ok := b.ReadyAt(); ok {
				t.Fatal("still something after the take")
			}
			if lags := rec.lags[events.TypeTask]; len(lags) != 2 || lags[0] != ready.Sub(t0) && lags[1] != ready.Sub(t0) {
				t.Fatalf("lags %v", lags)
			}
		},
		"a host's hints merge": func(t *testing.T, b *events.Inbox, _ *recorder) {
			b.Deliver([]events.Hint{hostHint(1, events.HostDue, t0.Add(time.Second)), hostHint(1, events.ProxyCheck, t0)})
			got := b.Take(t0.Add(time.Minute)).Hosts
			if len(got) != 1 || !got[0].CheckProxy || len(got[0].NewTasks) != 1 || !got[0].First.Equal(t0) {
				t.Fatalf("hosts %+v", got)
			}
		},
		"a full batch goes at once": func(t *testing.T, b *events.Inbox, _ *recorder) {
			var hs []events.Hint
			for i := range events.MaxHostsAtOnce {
				hs = append(hs, hostHint(i, events.HostDue, t0))
			}
			b.Deliver(hs)
			if got := b.Take(t0.Add(time.Second)); len(got.Hosts) != events.MaxHostsAtOnce {
				t.Fatalf("%d hosts", len(got.Hosts))
			}
		},
		"task definitions and invocations are due at once, each once": func(t *testing.T, b *events.Inbox, _ *recorder) {
			svc := events.Hint{Kind: events.TaskDefinitionDue, ServiceARN: "arn:svc/x", At: t0}
			inv := events.Hint{Kind: events.InvocationReady, CommandID: "c", InstanceID: "i-1", At: t0}
			b.Deliver([]events.Hint{svc, svc, inv, inv, hostHint(1, events.HostDue, t0)})
			if ready, ok := b.ReadyAt(); !ok || !ready.IsZero() {
				t.Fatalf("ready at %v", ready)
			}
			got := b.Take(t0)
			if len(got.TaskDefinitions) != 1 || len(got.Invocations) != 1 || len(got.Hosts) != 0 {
				t.Fatalf("batch %+v", got)
			}
		},
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder()
			fn(t, events.NewInbox("p", nil, rec), rec)
		})
	}
}
