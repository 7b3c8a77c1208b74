package controllers

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// statusFromResult maps one engine Result onto a copy of the policy's
// status. Times are cut to seconds, as the API server stores them, so an
// unchanged fleet compares equal and costs no write.
func statusFromResult(policy *ecswinv1alpha1.FleetPolicy, res engine.Result, now time.Time) *ecswinv1alpha1.FleetPolicyStatus {
	gen := policy.Generation
	status := policy.Status.DeepCopy()
	status.ObservedGeneration = gen
	status.Counts = res.Counts
	status.HostIssues = res.HostIssues
	status.TaskDefinitionIssues = res.TaskDefinitionIssues
	if !res.LastSyncTime.IsZero() {
		t := metav1.NewTime(res.LastSyncTime).Rfc3339Copy()
		status.LastSyncTime = &t
	}
	transition := metav1.NewTime(now).Rfc3339Copy()
	for _, c := range res.Conditions {
		meta.SetStatusCondition(&status.Conditions, metav1.Condition{
			Type:               c.Type,
			Status:             c.Status,
			Reason:             c.Reason,
			Message:            c.Message,
			ObservedGeneration: gen,
			LastTransitionTime: transition,
		})
	}
	ready := readyCondition(status.Conditions, gen)
	ready.LastTransitionTime = transition
	meta.SetStatusCondition(&status.Conditions, ready)
	return status
}
