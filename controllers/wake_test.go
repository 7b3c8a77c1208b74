package controllers

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/event"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
)

// lazyEngine runs passes that ask to come back only in an hour.
type lazyEngine struct {
	*engine.Engine
	passes atomic.Int32
}

func (l *lazyEngine) Pass(ctx context.Context, ref engine.PolicyRef, spec ecswinv1alpha1.FleetPolicySpec) (engine.Result, error) {
	res, err := l.Engine.Pass(ctx, ref, spec)
	res.RequeueAfter = time.Hour
	l.passes.Add(1)
	return res, err
}

// A wake-up on the Wake channel (the event hub's hints arrived) runs the
// policy's reconcile now, whatever requeue the last pass asked.
func TestWakeReconcilesNow(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	eng := &lazyEngine{Engine: newEngine(h.env)}
	wake := make(chan event.GenericEvent, 1)
	ctx := startManager(t, Options{Engine: eng, Clock: h.env.Clock, Wake: wake})
	p := h.createPolicy(t, ecswinv1alpha1.ModeDryRun)
	passes := func(n int32) wait.ConditionWithContextFunc {
		return func(context.Context) (bool, error) { return eng.passes.Load() >= n, nil }
	}
	if err := wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, managerDeadline, true, passes(1)); err != nil {
		t.Fatalf("no first pass: %v", err)
	}
	before := eng.passes.Load()
	wake <- event.GenericEvent{Object: &ecswinv1alpha1.FleetPolicy{ObjectMeta: metav1.ObjectMeta{Name: p.Name}}}
	if err := wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, managerDeadline, true, passes(before+1)); err != nil {
		t.Fatalf("the wake-up ran no pass: %v", err)
	}
}
