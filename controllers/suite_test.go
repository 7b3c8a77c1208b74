package controllers

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// recordedEvent is one event the reconciler emitted.
type recordedEvent struct{ Type, Reason, Message string }

// eventLog records events in memory (events.EventRecorder).
type eventLog struct {
	mu     sync.Mutex
	events []recordedEvent
}

func (l *eventLog) Eventf(_ runtime.Object, _ runtime.Object, eventtype, reason, _, note string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, recordedEvent{eventtype, reason, fmt.Sprintf(note, args...)})
}

func (l *eventLog) byReason(reason string) []recordedEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []recordedEvent
	for _, e := range l.events {
		if e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

func (l *eventLog) all() []recordedEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]recordedEvent(nil), l.events...)
}

// harness is a simulator, an engine on it, a reconciler backed by the
// real API server and one FleetPolicy pointing at the simulator.
type harness struct {
	env    *simtest.Env
	events *eventLog
	r      *FleetPolicyReconciler
	key    types.NamespacedName
}

func newHarness(t *testing.T, opts simtest.Options) *harness {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatalf("loading scenario: %v", err)
	}
	env := simtest.New(t, sc, opts)
	h := &harness{env: env, events: &eventLog{}}
	h.restart()
	return h
}

// restart builds a new engine and reconciler on the same simulator and
// API server, as a restarted controller process would have.
func (h *harness) restart() {
	h.r = NewFleetPolicyReconciler(FleetPolicyReconciler{
		Client:   testenv.Global.Client,
		Engine:   newEngine(h.env),
		Recorder: h.events,
		Clock:    h.env.Clock,
	})
}

// newEngine is an engine on the simulator's clients, clock and metrics,
// pinning the test bootstrap hash, as a controller process builds one.
func newEngine(env *simtest.Env) *engine.Engine {
	return engine.New(engine.Deps{Clients: env.Clients, Clock: env.Clock, Metrics: env.Metrics, BootstrapSHA256: simtest.BootstrapSHA256})
}

var nonName = regexp.MustCompile(`[^a-z0-9-]+`)

// createPolicy creates a FleetPolicy for every cluster of the simulator,
// named after the test, and deletes it when the test ends.
func (h *harness) createPolicy(t *testing.T, mode ecswinv1alpha1.Mode) *ecswinv1alpha1.FleetPolicy {
	t.Helper()
	name := strings.Trim(nonName.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	p := &ecswinv1alpha1.FleetPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       h.env.Spec(t, mode),
	}
	ctx := context.Background()
	if err := testenv.Global.Client.Create(ctx, p); err != nil {
		t.Fatalf("creating FleetPolicy: %v", err)
	}
	t.Cleanup(func() { _ = testenv.Global.Client.Delete(context.Background(), p) })
	h.key = types.NamespacedName{Namespace: p.Namespace, Name: p.Name}
	return p
}

// reconcile runs one Reconcile and returns its result and error.
func (h *harness) reconcile(t *testing.T) (reconcile.Result, error) {
	t.Helper()
	return h.r.Reconcile(context.Background(), reconcile.Request{NamespacedName: h.key})
}

// get reads the policy from the API server.
func (h *harness) get(t *testing.T) *ecswinv1alpha1.FleetPolicy {
	t.Helper()
	p := &ecswinv1alpha1.FleetPolicy{}
	if err := testenv.Global.Client.Get(context.Background(), h.key, p); err != nil {
		t.Fatalf("reading FleetPolicy: %v", err)
	}
	return p
}

// runUntil reconciles, then steps the fake clock by the requeue the
// reconciler asked for, up to n times or until done holds on the stored
// policy. Errors that a controller would retry are counted and retried
// a second later, as the workqueue's backoff would.
func (h *harness) runUntil(t *testing.T, n int, done func(*ecswinv1alpha1.FleetPolicy) bool) (p *ecswinv1alpha1.FleetPolicy, retried int) {
	t.Helper()
	for i := 0; i < n; i++ {
		res, err := h.reconcile(t)
		p = h.get(t)
		if err != nil {
			retried++
			h.env.Clock.Step(1e9)
			continue
		}
		if done(p) {
			return p, retried
		}
		if res.RequeueAfter <= 0 {
			t.Fatalf("pass %d asked for no requeue; the policy would never be looked at again", i)
		}
		h.env.Clock.Step(res.RequeueAfter)
	}
	return p, retried
}

func condition(p *ecswinv1alpha1.FleetPolicy, typ string) metav1.Condition {
	if c := meta.FindStatusCondition(p.Status.Conditions, typ); c != nil {
		return *c
	}
	return metav1.Condition{Type: typ, Status: "Absent"}
}

func conditionsString(p *ecswinv1alpha1.FleetPolicy) string {
	var b strings.Builder
	for _, c := range p.Status.Conditions {
		fmt.Fprintf(&b, "%s=%s/%s (gen %d): %s\n", c.Type, c.Status, c.Reason, c.ObservedGeneration, c.Message)
	}
	return b.String()
}

// mustConverge reconciles until the policy converges (30 reconciles at
// most), or fails the test, and returns the stored policy.
func (h *harness) mustConverge(t *testing.T) *ecswinv1alpha1.FleetPolicy {
	t.Helper()
	p, _ := h.runUntil(t, 30, converged)
	if !converged(p) {
		t.Fatalf("not converged: %+v\n%s", p.Status.Counts, conditionsString(p))
	}
	return p
}

// converged: every host verified healthy and nothing in flight.
func converged(p *ecswinv1alpha1.FleetPolicy) bool {
	return p.Status.Counts.DriftedHosts == 0 && p.Status.Counts.RepairsInFlight == 0 &&
		condition(p, ecswinv1alpha1.ConditionRoutesHealthy).Status == metav1.ConditionTrue &&
		condition(p, ecswinv1alpha1.ConditionCredentialProxyHealthy).Status == metav1.ConditionTrue &&
		!strings.Contains(condition(p, ecswinv1alpha1.ConditionRoutesHealthy).Message, "not verified")
}
