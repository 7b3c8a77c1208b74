package controllers

import (
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// breakerEngine is the part of *engine.Engine that hears of a policy's
// proxy-repair breaker from outside its spec.
type breakerEngine interface {
	Breaker(ref engine.PolicyRef, in engine.BreakerInput)
}

// tellBreaker hands the engine the reset annotation's value and, for a
// new engine memory, whether the status says the breaker was open for
// this generation: a restart neither loses an open breaker nor repairs
// again what did not take. The manager writes nothing back to the
// policy (it may only read policies): the operator's new annotation
// value is the request, the engine remembers the one it acted on.
func (r *FleetPolicyReconciler) tellBreaker(ref engine.PolicyRef, p *ecswinv1alpha1.FleetPolicy) {
	b, ok := r.Engine.(breakerEngine)
	if !ok {
		return
	}
	in := engine.BreakerInput{ResetToken: p.Annotations[engine.AnnotationResetBreaker]}
	c := meta.FindStatusCondition(p.Status.Conditions, ecswinv1alpha1.ConditionProxyRepairHealthy)
	if c != nil && c.Reason == ecswinv1alpha1.ReasonProxyRepairSuspended && c.ObservedGeneration == p.Generation {
		in.Suspended = c.Message
	}
	b.Breaker(ref, in)
}

// resetAnnotationChanged lets through updates that change the reset
// annotation, which bump no generation.
var resetAnnotationChanged = predicate.Funcs{
	CreateFunc:  func(event.CreateEvent) bool { return false },
	DeleteFunc:  func(event.DeleteEvent) bool { return false },
	GenericFunc: func(event.GenericEvent) bool { return false },
	UpdateFunc: func(e event.UpdateEvent) bool {
		return e.ObjectOld != nil && e.ObjectNew != nil && resetToken(e.ObjectOld) != resetToken(e.ObjectNew)
	},
}

func resetToken(o client.Object) string { return o.GetAnnotations()[engine.AnnotationResetBreaker] }
