package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

func resultWith(status metav1.ConditionStatus, lastSync time.Time) engine.Result {
	res := engine.Result{LastSyncTime: lastSync, Counts: ecswinv1alpha1.FleetCounts{Clusters: 1, WindowsInstances: 3}}
	for _, typ := range ecswinv1alpha1.StepConditions {
		res.Conditions = append(res.Conditions, engine.StepCondition{Type: typ, Status: status, Reason: "R", Message: "m"})
	}
	return res
}

func TestStatusFromResult(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 123456789, time.UTC)
	policy := &ecswinv1alpha1.FleetPolicy{ObjectMeta: metav1.ObjectMeta{Generation: 4}}

	first := statusFromResult(policy, resultWith(metav1.ConditionTrue, t0), t0)
	if first.ObservedGeneration != 4 || first.Counts.WindowsInstances != 3 {
		t.Fatalf("status = %+v", first)
	}
	if !first.LastSyncTime.Time.Equal(t0.Truncate(time.Second)) {
		t.Errorf("lastSyncTime = %v, want %v cut to seconds as the API server stores it", first.LastSyncTime, t0)
	}
	for _, typ := range append([]string{ecswinv1alpha1.ConditionReady}, ecswinv1alpha1.StepConditions...) {
		c := meta.FindStatusCondition(first.Conditions, typ)
		if c == nil || c.ObservedGeneration != 4 {
			t.Fatalf("condition %s = %+v, want it with observedGeneration 4", typ, c)
		}
	}
	if c := meta.FindStatusCondition(first.Conditions, ecswinv1alpha1.ConditionReady); c.Status != metav1.ConditionTrue {
		t.Errorf("Ready = %s, want True when every step is True", c.Status)
	}

	// The same fleet a minute later: nothing changes, transition times
	// included, so the reconciler writes nothing.
	policy.Status = *first
	again := statusFromResult(policy, resultWith(metav1.ConditionTrue, t0), t0.Add(time.Minute))
	ready := meta.FindStatusCondition(again.Conditions, ecswinv1alpha1.ConditionReady)
	if !ready.LastTransitionTime.Time.Equal(t0.Truncate(time.Second)) {
		t.Errorf("Ready moved its transition time without a transition: %v", ready.LastTransitionTime)
	}

	// A step turning False moves its own and Ready's transition times.
	policy.Status = *again
	later := t0.Add(2 * time.Minute)
	broken := statusFromResult(policy, resultWith(metav1.ConditionFalse, t0), later)
	ready = meta.FindStatusCondition(broken.Conditions, ecswinv1alpha1.ConditionReady)
	if ready.Status != metav1.ConditionFalse || !ready.LastTransitionTime.Time.Equal(later.Truncate(time.Second)) {
		t.Errorf("Ready = %s at %v, want False at %v", ready.Status, ready.LastTransitionTime, later)
	}
	if policy.Status.Conditions[0].Status != metav1.ConditionTrue {
		t.Error("statusFromResult changed the policy it was given")
	}
}
