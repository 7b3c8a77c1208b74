// Package controllers adapts ecswin's domain core to Kubernetes: it reads
// FleetPolicy objects, runs the core and writes status, events and
// metrics back. Nothing here talks to AWS directly.
package controllers

import (
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/source"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// ControllerName names the controller, its logger and its events.
const ControllerName = "ecswin-fleetpolicy"

// Options are what the FleetPolicy controller needs from the manager.
type Options struct {
	// MaxConcurrentReconciles is how many policies reconcile at once.
	MaxConcurrentReconciles int
	// Engine runs the passes (engine.New).
	Engine Engine
	// Clock stamps condition transitions and paces event repeats; nil
	// means the real clock.
	Clock clock.PassiveClock
	// Wake, when set, names policies to reconcile now: the event hub's
	// hints for them arrived (cmd/manager). nil: the engine's requeues
	// alone.
	Wake <-chan event.GenericEvent
}

// SetupWithManager registers the FleetPolicy reconciler with mgr.
func SetupWithManager(mgr ctrl.Manager, opts Options) error {
	r := NewFleetPolicyReconciler(FleetPolicyReconciler{
		Client:   mgr.GetClient(),
		Engine:   opts.Engine,
		Recorder: mgr.GetEventRecorder(ControllerName),
		Clock:    opts.Clock,
	})
	b := ctrl.NewControllerManagedBy(mgr).
		Named("fleetpolicy").
		// Status writes bump no generation, so they do not requeue us;
		// the periodic passes come from the RequeueAfter the engine asks.
		// A new value of the breaker's reset annotation does requeue.
		For(&ecswinv1alpha1.FleetPolicy{}, builder.WithPredicates(predicate.Or(predicate.Predicate(predicate.GenerationChangedPredicate{}), resetAnnotationChanged))).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles})
	if opts.Wake != nil {
		b = b.WatchesRawSource(source.Channel(opts.Wake, &handler.EnqueueRequestForObject{}))
	}
	return b.Complete(r)
}
