package controllers

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// +kubebuilder:rbac:groups=ecswin.io,resources=fleetpolicies,verbs=get;list;watch
// +kubebuilder:rbac:groups=ecswin.io,resources=fleetpolicies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Engine is the part of the domain core the reconciler drives
// (*engine.Engine).
type Engine interface {
	Pass(ctx context.Context, ref engine.PolicyRef, spec ecswinv1alpha1.FleetPolicySpec) (engine.Result, error)
	Forget(ref engine.PolicyRef)
}

// FleetPolicyReconciler keeps one FleetPolicy's status, events and
// metrics true to its fleet: one engine pass per reconcile, one status
// write when something changed, and a requeue when the engine asks.
type FleetPolicyReconciler struct {
	Client   client.Client
	Engine   Engine
	Recorder events.EventRecorder
	Clock    clock.PassiveClock

	events *eventDeduper
}

// NewFleetPolicyReconciler fills the defaults: the real clock when none
// is given.
func NewFleetPolicyReconciler(r FleetPolicyReconciler) *FleetPolicyReconciler {
	if r.Clock == nil {
		r.Clock = clock.RealClock{}
	}
	r.events = newEventDeduper(r.Clock)
	return &r
}

// Reconcile runs one engine pass for the policy and writes what it found.
// It never waits for SSM: the engine sends, and a later reconcile reads.
func (r *FleetPolicyReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	ref := engine.PolicyRef{Name: req.Name} // FleetPolicy is cluster-scoped
	policy := &ecswinv1alpha1.FleetPolicy{}
	err := r.Client.Get(ctx, req.NamespacedName, policy)
	switch {
	case apierrors.IsNotFound(err) || err == nil && !policy.DeletionTimestamp.IsZero():
		r.forget(ref)
		return reconcile.Result{}, nil
	case err != nil:
		return reconcile.Result{}, fmt.Errorf("reading the policy: %w", err)
	}

	r.tellBreaker(ref, policy)
	res, passErr := r.Engine.Pass(ctx, ref, policy.Spec)
	status := statusFromResult(policy, res, r.Clock.Now())
	r.events.emit(r.Recorder, policy, ref, res.Events)

	if !equality.Semantic.DeepEqual(status, &policy.Status) {
		patch, err := statusPatch(status)
		if err == nil {
			err = r.Client.Status().Patch(ctx, policy, patch)
		}
		if err != nil {
			return reconcile.Result{}, errors.Join(fmt.Errorf("writing status: %w", err), passErr)
		}
	}

	switch {
	case errors.Is(passErr, engine.ErrRefused):
		log.FromContext(ctx).Info("policy refused by the operator's trust settings; waiting for a spec change (or a manager restarted with other flags)", "reason", passErr.Error())
		return reconcile.Result{}, reconcile.TerminalError(passErr)
	case errors.Is(passErr, engine.ErrInvalidSpec):
		log.FromContext(ctx).Info("policy spec cannot be acted on; waiting for a spec change", "reason", passErr.Error())
		return reconcile.Result{}, reconcile.TerminalError(passErr)
	case passErr != nil:
		return reconcile.Result{}, fmt.Errorf("running the engine pass: %w", passErr)
	}
	return reconcile.Result{RequeueAfter: res.RequeueAfter}, nil
}

// forget drops what the engine (memory, metric series) and the event
// deduplication remember about a deleted policy.
func (r *FleetPolicyReconciler) forget(ref engine.PolicyRef) {
	r.Engine.Forget(ref)
	r.events.forget(ref)
}
