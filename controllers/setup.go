// Package controllers adapts ecswin's domain core to Kubernetes: it reads
// FleetPolicy objects, runs the core and writes status, events and
// metrics back. Nothing here talks to AWS directly.
package controllers

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// Options tune the FleetPolicy controller.
type Options struct {
	// MaxConcurrentReconciles is how many policies reconcile at once.
	MaxConcurrentReconciles int
}

// SetupWithManager registers the FleetPolicy reconciler with mgr.
func SetupWithManager(mgr ctrl.Manager, opts Options) error {
	r := &FleetPolicyReconciler{Client: mgr.GetClient()}
	return ctrl.NewControllerManagedBy(mgr).
		Named("fleetpolicy").
		// Status writes bump no generation, so they do not requeue us.
		For(&ecswinv1alpha1.FleetPolicy{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles}).
		Complete(r)
}
