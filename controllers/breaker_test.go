package controllers

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

// The breaker on the real API server: it trips with a condition and a
// Warning Event, survives a restart through its condition (the new
// engine repairs nothing it held back), and a new value of the reset
// annotation closes it.
func TestBreakerConditionEventRestartAndAnnotation(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	var healthy []string
	for _, id := range h.env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true}) {
		if h.env.Sim.HostOS(id).ProxyHealthy() {
			healthy = append(healthy, id)
		}
	}
	for _, id := range healthy[:6] {
		if err := h.env.Sim.BreakProxy(id, memos.ProxyAdapterUncreatable); err != nil {
			t.Fatal(err)
		}
	}
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	p, _ := h.runUntil(t, 30, suspended)
	if !suspended(p) {
		t.Fatalf("breaker did not trip:\n%s", conditionsString(p))
	}
	if got := condition(p, ecswinv1alpha1.ConditionReady); got.Status != metav1.ConditionFalse {
		t.Errorf("Ready = %+v while proxy repair is suspended, want False", got)
	}
	ev := h.events.byReason(engine.EventProxyRepairSuspended)
	if len(ev) != 1 || ev[0].Type != engine.EventWarning || !strings.Contains(ev[0].Message, engine.AnnotationResetBreaker) {
		t.Fatalf("%s events %+v, want one Warning naming %s", engine.EventProxyRepairSuspended, ev, engine.AnnotationResetBreaker)
	}

	// A proxy a repair would fix breaks; the reverify runs of the next
	// hour leave it alone, so SSM's history holds no evidence against
	// proxy repair any more: only the condition keeps the breaker open
	// across the restart.
	late := healthy[6]
	if err := h.env.Sim.BreakProxy(late, memos.ProxyRuleMissing); err != nil {
		t.Fatal(err)
	}
	h.runFor(t, 90*time.Minute)
	if h.env.Sim.HostOS(late).ProxyHealthy() {
		t.Fatalf("the breaker is open, yet %s's proxy was repaired", late)
	}
	h.restart()
	p = h.runFor(t, 10*time.Minute)
	if !suspended(p) || h.env.Sim.HostOS(late).ProxyHealthy() {
		t.Fatalf("after a restart the breaker closed (late host repaired: %t):\n%s", h.env.Sim.HostOS(late).ProxyHealthy(), conditionsString(p))
	}

	h.annotate(t, "2026-12-02T01:00:00Z")
	h.runFor(t, 5*time.Minute)
	if !h.env.Sim.HostOS(late).ProxyHealthy() {
		t.Errorf("a new %s value did not resume proxy repair on %s:\n%s", engine.AnnotationResetBreaker, late, conditionsString(h.get(t)))
	}
	if n := len(h.events.byReason(engine.EventProxyRepairResumed)); n != 1 {
		t.Errorf("%d %s events, want 1", n, engine.EventProxyRepairResumed)
	}
}

func suspended(p *ecswinv1alpha1.FleetPolicy) bool {
	c := condition(p, ecswinv1alpha1.ConditionProxyRepairHealthy)
	return c.Status == metav1.ConditionFalse && c.Reason == ecswinv1alpha1.ReasonProxyRepairSuspended
}

// runFor reconciles as the requeues ask until the fake clock has moved d.
func (h *harness) runFor(t *testing.T, d time.Duration) *ecswinv1alpha1.FleetPolicy {
	t.Helper()
	until := h.env.Clock.Now().Add(d)
	for h.env.Clock.Now().Before(until) {
		res, err := h.reconcile(t)
		if err != nil {
			t.Fatalf("reconcile: %v", err)
		}
		h.env.Clock.Step(max(res.RequeueAfter, time.Second))
	}
	return h.get(t)
}

// annotate sets the breaker's reset annotation on the policy.
func (h *harness) annotate(t *testing.T, value string) {
	t.Helper()
	patch := []byte(`{"metadata":{"annotations":{"` + engine.AnnotationResetBreaker + `":"` + value + `"}}}`)
	p := &ecswinv1alpha1.FleetPolicy{}
	p.Name = h.key.Name
	if err := testenv.Global.Client.Patch(context.Background(), p, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatalf("annotating: %v", err)
	}
}

// Only a change of the reset annotation's value lets an update through
// (the generation predicate lets spec changes through).
func TestResetAnnotationPredicate(t *testing.T) {
	with := func(v string) *ecswinv1alpha1.FleetPolicy {
		p := &ecswinv1alpha1.FleetPolicy{}
		if v != "" {
			p.Annotations = map[string]string{engine.AnnotationResetBreaker: v}
		}
		return p
	}
	cases := []struct {
		old, new string
		want     bool
	}{{"", "", false}, {"", "1", true}, {"1", "1", false}, {"1", "2", true}, {"1", "", true}}
	for _, c := range cases {
		if got := resetAnnotationChanged.Update(event.UpdateEvent{ObjectOld: with(c.old), ObjectNew: with(c.new)}); got != c.want {
			t.Errorf("%q -> %q: %t, want %t", c.old, c.new, got, c.want)
		}
	}
	if resetAnnotationChanged.Create(event.CreateEvent{Object: with("1")}) {
		t.Error("a create passed the annotation predicate (the generation predicate's job)")
	}
}
