package controllers

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/ecswin/ecswin/internal/engine"
)

func TestEventDeduper(t *testing.T) {
	repaired := engine.Event{Type: engine.EventNormal, Reason: engine.EventRepairSucceeded, Key: "RepairSucceeded/i-1", Message: "i-1: added the route to 2 container(s)"}
	failed := engine.Event{Type: engine.EventWarning, Reason: engine.EventRepairFailed, Key: "RepairFailed/i-2", Message: "i-2: timed out"}
	failedOther := failed
	failedOther.Message = "i-2: undeliverable"
	ref := engine.PolicyRef{Namespace: "ns", Name: "p"}

	type pass struct {
		after  time.Duration // since the previous pass
		events []engine.Event
		want   int // events recorded by this pass
	}
	tests := map[string][]pass{
		"the same fact is quiet within the interval": {
			{0, []engine.Event{failed}, 1},
			{time.Minute, []engine.Event{failed}, 0},
			{10 * time.Minute, []engine.Event{failed}, 0},
		},
		"a new message for the same key is news": {
			{0, []engine.Event{failed}, 1},
			{time.Minute, []engine.Event{failedOther}, 1},
			{time.Minute, []engine.Event{failed}, 1},
		},
		"a fact that stays is announced again after the interval": {
			{0, []engine.Event{failed}, 1},
			{eventRepeatAfter - time.Second, []engine.Event{failed}, 0},
			{2 * time.Second, []engine.Event{failed}, 1},
		},
		"the same event twice in one pass is recorded once": {
			{0, []engine.Event{failed, failed}, 1},
		},
		"a host repaired again is always news": {
			{0, []engine.Event{repaired}, 1},
			{time.Minute, []engine.Event{repaired}, 1},
		},
	}
	for name, passes := range tests {
		t.Run(name, func(t *testing.T) {
			clk := clocktesting.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			d := newEventDeduper(clk)
			rec := &eventLog{}
			for i, p := range passes {
				clk.Step(p.after)
				before := len(rec.all())
				d.emit(rec, nil, ref, p.events)
				if got := len(rec.all()) - before; got != p.want {
					t.Fatalf("pass %d recorded %d event(s), want %d: %+v", i, got, p.want, rec.all()[before:])
				}
			}
		})
	}
}

func TestEventDeduperForgetsDeletedPolicies(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Now())
	d := newEventDeduper(clk)
	ref := engine.PolicyRef{Namespace: "ns", Name: "p"}
	ev := engine.Event{Type: engine.EventWarning, Reason: engine.EventRepairFailed, Key: "k", Message: "m"}
	rec := &eventLog{}
	d.emit(rec, nil, ref, []engine.Event{ev})
	d.forget(ref)
	if len(d.seen) != 0 {
		t.Fatalf("memory kept for a deleted policy: %v", d.seen)
	}
	d.emit(rec, nil, ref, []engine.Event{ev})
	if got := len(rec.all()); got != 2 {
		t.Fatalf("a re-created policy's first event was swallowed: %d recorded", got)
	}
}

func TestClipKeepsNotesWithinTheAPILimit(t *testing.T) {
	long := strings.Repeat("é", 600) // 1200 bytes
	tests := map[string]struct {
		in   string
		want int // bytes at most
	}{
		"short stays":            {"i-1: timed out", len("i-1: timed out")},
		"long is cut":            {long, maxEventNote},
		"cut on a rune boundary": {"a" + long, maxEventNote},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := clip(tc.in, maxEventNote)
			if len(got) > tc.want || !utf8.ValidString(got) {
				t.Errorf("clip gave %d bytes (valid UTF-8: %v), want at most %d", len(got), utf8.ValidString(got), tc.want)
			}
			if len(tc.in) <= maxEventNote && got != tc.in {
				t.Errorf("a short note was changed: %q", got)
			}
		})
	}
}
