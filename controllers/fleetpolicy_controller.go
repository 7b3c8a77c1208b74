package controllers

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// +kubebuilder:rbac:groups=ecswin.io,resources=fleetpolicies,verbs=get;list;watch
// +kubebuilder:rbac:groups=ecswin.io,resources=fleetpolicies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// FleetPolicyReconciler keeps one FleetPolicy's status true to the fleet.
type FleetPolicyReconciler struct {
	Client client.Client
}

// Reconcile reads the policy and writes its status once, only when it
// changed. Until the inventory is built it reports exactly that: every step
// Unknown with reason NotImplemented, and no counts.
func (r *FleetPolicyReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	policy := &ecswinv1alpha1.FleetPolicy{}
	if err := r.Client.Get(ctx, req.NamespacedName, policy); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}

	status := policy.Status.DeepCopy()
	status.ObservedGeneration = policy.Generation
	for _, step := range ecswinv1alpha1.StepConditions {
		meta.SetStatusCondition(&status.Conditions, metav1.Condition{
			Type:               step,
			Status:             metav1.ConditionUnknown,
			Reason:             ecswinv1alpha1.ReasonNotImplemented,
			Message:            "ecswin does not inspect the fleet yet",
			ObservedGeneration: policy.Generation,
		})
	}
	meta.SetStatusCondition(&status.Conditions, readyCondition(status.Conditions, policy.Generation))

	if equality.Semantic.DeepEqual(status, &policy.Status) {
		return reconcile.Result{}, nil
	}
	patch := client.MergeFrom(policy.DeepCopy())
	policy.Status = *status
	if err := r.Client.Status().Patch(ctx, policy, patch); err != nil {
		return reconcile.Result{}, fmt.Errorf("writing status: %w", err)
	}
	return reconcile.Result{}, nil
}
