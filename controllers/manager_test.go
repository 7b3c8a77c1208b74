package controllers

import (
	"context"
	"testing"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

// managerDeadline bounds each wait on the running manager; the waits poll
// the API server for what the manager writes, which arrives
// asynchronously.
const managerDeadline = 30 * time.Second

// startManager runs a manager with the FleetPolicy controller set up
// with opts until the test ends, and returns a context that ends then.
func startManager(t *testing.T, opts Options) context.Context {
	t.Helper()
	skip := true
	mgr, err := ctrl.NewManager(testenv.Global.Config, ctrl.Options{
		Scheme:                 testenv.Global.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             config.Controller{SkipNameValidation: &skip},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := SetupWithManager(mgr, opts); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
	return ctx
}

// The reconciler as the manager runs it: watches, status, Events through
// the manager's recorder, and a spec change reconciled again.
func TestManagerReconcilesAndRecordsEvents(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	ctx := startManager(t, Options{Engine: newEngine(h.env), Clock: h.env.Clock})

	p := h.createPolicy(t, ecswinv1alpha1.ModeDryRun)
	synced := func(gen int64) wait.ConditionWithContextFunc {
		return func(ctx context.Context) (bool, error) {
			got := &ecswinv1alpha1.FleetPolicy{}
			if err := testenv.Global.Client.Get(ctx, h.key, got); err != nil {
				return false, err
			}
			c := condition(got, ecswinv1alpha1.ConditionInventorySynced)
			return got.Status.ObservedGeneration == gen && c.Status == metav1.ConditionTrue && c.ObservedGeneration == gen, nil
		}
	}
	if err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, managerDeadline, true, synced(p.Generation)); err != nil {
		t.Fatalf("status never showed the inventory: %v\n%s", err, conditionsString(h.get(t)))
	}

	sent := func(ctx context.Context) (bool, error) {
		var list eventsv1.EventList
		if err := testenv.Global.Client.List(ctx, &list, client.InNamespace(p.Namespace)); err != nil {
			return false, err
		}
		for _, e := range list.Items {
			if e.Regarding.UID == p.UID && e.Reason == engine.EventCommandsSent && e.Type == engine.EventNormal {
				return true, nil
			}
		}
		return false, nil
	}
	if err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, managerDeadline, true, sent); err != nil {
		t.Fatalf("no %s Event regarding the policy: %v", engine.EventCommandsSent, err)
	}

	// A spec change bumps the generation, which the predicate lets through.
	changed := h.get(t)
	changed.Spec.Remediation.Mode = ecswinv1alpha1.ModeEnforce
	if err := testenv.Global.Client.Update(ctx, changed); err != nil {
		t.Fatal(err)
	}
	if changed.Generation == p.Generation {
		t.Fatalf("the spec change did not bump the generation (%d)", changed.Generation)
	}
	if err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, managerDeadline, true, synced(changed.Generation)); err != nil {
		t.Fatalf("the spec change was not reconciled: %v\n%s", err, conditionsString(h.get(t)))
	}
}
