package controllers

import (
	"sync"
	"time"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/internal/engine"
)

// eventRepeatAfter is how long the same fact (same event key, same
// message) stays quiet before it is announced again: a host that stays
// broken is worth a reminder, not an event every pass.
const eventRepeatAfter = 30 * time.Minute

// maxEventNote is the longest note events.k8s.io/v1 accepts (1 kB); a
// longer one would make the API server refuse the whole Event.
const maxEventNote = 1024

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

// alwaysNews are reasons recorded every time: a host repaired again has
// broken again, which is worth seeing however soon it happens.
var alwaysNews = map[string]bool{engine.EventRepairSucceeded: true}

// eventAction is the events.k8s.io action of everything the controller
// reports: what it did when the fact came up.
const eventAction = "Reconcile"

// eventDeduper turns the engine's events into Kubernetes Events, leaving
// out those announced recently with the same message.
type eventDeduper struct {
	clock clock.PassiveClock

	mu   sync.Mutex
	seen map[engine.PolicyRef]map[string]sentEvent
}

type sentEvent struct {
	message string
	at      time.Time
}

func newEventDeduper(clk clock.PassiveClock) *eventDeduper {
	return &eventDeduper{clock: clk, seen: map[engine.PolicyRef]map[string]sentEvent{}}
}

// emit records the events of one pass that are new or due again, and
// forgets what is older than eventRepeatAfter so memory stays bounded by
// what recently happened.
func (d *eventDeduper) emit(rec events.EventRecorder, obj runtime.Object, ref engine.PolicyRef, evs []engine.Event) {
	now := d.clock.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	seen := d.seen[ref]
	if seen == nil {
		seen = map[string]sentEvent{}
		d.seen[ref] = seen
	}
	for key, s := range seen {
		if now.Sub(s.at) >= eventRepeatAfter {
			delete(seen, key)
		}
	}
	for _, e := range evs {
		key := e.Type + "/" + e.Key
		if s, ok := seen[key]; ok && s.message == e.Message && !alwaysNews[e.Reason] {
			continue
		}
		seen[key] = sentEvent{message: e.Message, at: now}
		if rec != nil {
			rec.Eventf(obj, related(e), e.Type, e.Reason, eventAction, "%s", clip(e.Message, maxEventNote))
		}
	}
}

// ssmCommandAPIVersion names SSM's API (its version date) in the
// reference to a command: no Kubernetes API serves it, the reference only
// names it for the reader, and keeps the events of different commands
// apart in client-go's aggregation, which keys a series on the related
// object.
const ssmCommandAPIVersion = "ssm.amazonaws.com/2014-11-06"

// related is the object an event is also about: its SSM command, if any.
func related(e engine.Event) runtime.Object {
	if e.Command == "" {
		return nil
	}
	return &corev1.ObjectReference{APIVersion: ssmCommandAPIVersion, Kind: "Command", Name: e.Command}
}

func (d *eventDeduper) forget(ref engine.PolicyRef) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, ref)
}
