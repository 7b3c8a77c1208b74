package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

func TestReadyCondition(t *testing.T) {
	all := func(s metav1.ConditionStatus) []metav1.Condition {
		var out []metav1.Condition
		for _, step := range ecswinv1alpha1.StepConditions {
			out = append(out, metav1.Condition{Type: step, Status: s, Reason: "R"})
		}
		return out
	}
	withOne := func(s metav1.ConditionStatus, step string, to metav1.ConditionStatus) []metav1.Condition {
		conds := all(s)
		for i := range conds {
			if conds[i].Type == step {
				conds[i].Status = to
			}
		}
		return conds
	}
	tests := map[string]struct {
		conds      []metav1.Condition
		wantStatus metav1.ConditionStatus
		wantReason string
	}{
		"no conditions yet":   {nil, metav1.ConditionUnknown, ecswinv1alpha1.ReasonNotYetObserved},
		"every step true":     {all(metav1.ConditionTrue), metav1.ConditionTrue, ecswinv1alpha1.ReasonAllStepsReady},
		"one step false":      {withOne(metav1.ConditionTrue, ecswinv1alpha1.ConditionRoutesHealthy, metav1.ConditionFalse), metav1.ConditionFalse, ecswinv1alpha1.ReasonStepsNotReady},
		"one step unknown":    {withOne(metav1.ConditionTrue, ecswinv1alpha1.ConditionInventorySynced, metav1.ConditionUnknown), metav1.ConditionUnknown, ecswinv1alpha1.ReasonNotYetObserved},
		"false beats unknown": {withOne(metav1.ConditionUnknown, ecswinv1alpha1.ConditionNoPortConflicts, metav1.ConditionFalse), metav1.ConditionFalse, ecswinv1alpha1.ReasonStepsNotReady},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := readyCondition(tc.conds, 7)
			if got.Status != tc.wantStatus || got.Reason != tc.wantReason {
				t.Fatalf("Ready = %s/%s, want %s/%s (message %q)", got.Status, got.Reason, tc.wantStatus, tc.wantReason, got.Message)
			}
			if got.ObservedGeneration != 7 {
				t.Fatalf("ObservedGeneration = %d, want 7", got.ObservedGeneration)
			}
		})
	}
}
