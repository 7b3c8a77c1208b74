package events_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// notified records the policies the hub woke.
type notified struct{ ch chan string }

func (n *notified) notify(policy string) { n.ch <- policy }

func startHub(t *testing.T, w *world, clients awsapi.ClientSource) (*events.Hub, *notified) {
	t.Helper()
	n := &notified{ch: make(chan string, 100)}
	h := events.NewHub(events.HubDeps{Clients: clients, Clock: w.clock, Recorder: w.rec, Notify: n.notify, Log: testr.New(t)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = h.Start(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return h, n
}

func (w *world) config(queueURL string) events.Config {
	s := w.settings
	s.EventQueueURL = queueURL
	return events.Config{Settings: s, Scope: w.scope()}
}

// The hub runs a policy's feed from Ensure on, hands its hints out
// through Take once due, tells the host process when they arrive, and
// refuses a second policy on the same queue until the first is gone.
func TestHubFeedsPolicies(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	h, n := startHub(t, w, w.clients)
	if st := h.Ensure("a", w.config(w.queueURL)); st.State != events.StateStarting {
		t.Fatalf("status %+v", st)
	}
	if err := w.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	if st := h.Ensure("a", w.config(w.queueURL)); st.State != events.StateStarting && st.State != events.StateReceiving {
		t.Fatalf("an unchanged Ensure: %+v", st)
	}
	shared := h.Ensure("b", w.config(w.queueURL))
	if shared.State != events.StateShared || !strings.Contains(shared.Message, "policy a already reads") {
		t.Fatalf("a second reader: %+v", shared)
	}

	host := w.sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})[0]
	if _, err := w.sim.StartTask(host.InstanceID, "web", false); err != nil {
		t.Fatal(err)
	}
	w.settle()
	if p := <-n.ch; p != "a" {
		t.Fatalf("notified %s", p)
	}
	if err := w.sim.WaitIdleReceivers(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	ready, ok := h.ReadyAt("a")
	if !ok {
		t.Fatal("no hints ready")
	}
	if b := h.Take("a", ready); len(b.Hosts) != 1 || b.Hosts[0].ContainerInstanceARN != host.ContainerInstanceARN {
		t.Fatalf("batch %+v", b)
	}
	if st := h.Status("a"); st.State != events.StateReceiving || st.Hints != 1 {
		t.Fatalf("status %+v", st)
	}
	if lags := w.rec.lags[events.TypeTask]; len(lags) != 1 || lags[0] < events.Debounce || lags[0] > events.Debounce+3*time.Second {
		t.Fatalf("lags %v: want about the latency and the debounce", lags)
	}

	h.Forget("a")
	if st := h.Ensure("b", w.config(w.queueURL)); st.State != events.StateStarting {
		t.Fatalf("once a is gone, b: %+v", st)
	}
	if st := h.Ensure("b", events.Config{Settings: w.settings.WithEventQueue(nil), Scope: w.scope()}); st.State != events.StateOff {
		t.Fatalf("without a queue: %+v", st)
	}
}

// A queue host the operator's trust refuses is a status naming the
// field and the flag, and nothing is sent.
func TestHubRefusesUntrustedQueues(t *testing.T) {
	w := newWorld(t, "small", fleetsim.EventBridgeFaults{})
	strict := awsapi.NewCache(awsapi.Options{})
	h, _ := startHub(t, w, strict)
	only := awsapi.SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1"}).WithEventQueue(&v1alpha1.EventsSpec{QueueURL: w.queueURL})
	h.Ensure("p", events.Config{Settings: only, Scope: w.scope()})
	var st events.Status
	for st = h.Status("p"); st.State == events.StateStarting; st = h.Status("p") {
		waitForHub()
	}
	if st.State != events.StateRefused || !strings.Contains(st.Message, "spec.events.queueURL") || !strings.Contains(st.Message, awsapi.FlagAllowEndpointOverrides) {
		t.Fatalf("status %+v", st)
	}
	if calls := w.sim.Calls().Total("sqs").Calls; calls != 0 {
		t.Fatalf("%d SQS calls reached a refused queue", calls)
	}
}
