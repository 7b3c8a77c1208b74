package controllers

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// readyCondition derives the root Ready condition from the step conditions:
// True when every step is True, False when any step is False, else Unknown.
// The message names the steps that hold it back, with their reasons
// (InventoryIncomplete, ReadOnly...), so one glance at Ready says where to
// look.
func readyCondition(conds []metav1.Condition, generation int64) metav1.Condition {
	var falseSteps, unknownSteps []string
	for _, step := range ecswinv1alpha1.StepConditions {
		c := meta.FindStatusCondition(conds, step)
		switch {
		case c == nil:
			unknownSteps = append(unknownSteps, step)
		case c.Status == metav1.ConditionUnknown:
			unknownSteps = append(unknownSteps, fmt.Sprintf("%s (%s)", step, c.Reason))
		case c.Status == metav1.ConditionFalse:
			falseSteps = append(falseSteps, fmt.Sprintf("%s (%s)", step, c.Reason))
		}
	}
	ready := metav1.Condition{Type: ecswinv1alpha1.ConditionReady, ObservedGeneration: generation}
	switch {
	case len(falseSteps) > 0:
		ready.Status = metav1.ConditionFalse
		ready.Reason = ecswinv1alpha1.ReasonStepsNotReady
		ready.Message = "not ready: " + strings.Join(falseSteps, ", ")
	case len(unknownSteps) > 0:
		ready.Status = metav1.ConditionUnknown
		ready.Reason = ecswinv1alpha1.ReasonNotYetObserved
		ready.Message = "not yet known: " + strings.Join(unknownSteps, ", ")
	default:
		ready.Status = metav1.ConditionTrue
		ready.Reason = ecswinv1alpha1.ReasonAllStepsReady
		ready.Message = "every step is healthy"
	}
	return ready
}
