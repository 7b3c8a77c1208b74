package main

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// wakeBuffer is how many wake-ups wait for the controller. The hub's
// goroutines never block on a full buffer: a policy whose wake-up is
// dropped runs at its next requeue, which hints bound anyway.
const wakeBuffer = 1024

// wakePolicy asks for a reconcile of the (cluster-scoped) policy now.
func wakePolicy(wake chan<- event.GenericEvent, policy string) {
	select {
	case wake <- event.GenericEvent{Object: &ecswinv1alpha1.FleetPolicy{ObjectMeta: metav1.ObjectMeta{Name: policy}}}:
	default:
	}
}
