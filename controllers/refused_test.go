package controllers

import (
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/simtest"
)

// A policy the operator's flags refuse (here: endpoints outside AWS
// without --allow-endpoint-overrides) gets every condition False with the
// reason and the flag in the status, a terminal error (no retries until
// the spec changes), and no call reaches AWS.
func TestRefusedPolicyIsReportedAndNotRetried(t *testing.T) {
	h := newHarness(t, simtest.Options{Trust: &awsapi.Trust{}})
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	_, err := h.reconcile(t)
	if !errors.Is(err, reconcile.TerminalError(nil)) {
		t.Fatalf("err = %v, want a terminal error", err)
	}
	p := h.get(t)
	for _, typ := range append([]string{ecswinv1alpha1.ConditionReady}, ecswinv1alpha1.StepConditions...) {
		c := condition(p, typ)
		if c.Status != metav1.ConditionFalse {
			t.Errorf("%s is %s, want False", typ, c.Status)
		}
		if typ != ecswinv1alpha1.ConditionReady && (c.Reason != ecswinv1alpha1.ReasonEndpointNotAllowed || !strings.Contains(c.Message, awsapi.FlagAllowEndpointOverrides)) {
			t.Errorf("%s = %s: %s; want %s naming %s", typ, c.Reason, c.Message, ecswinv1alpha1.ReasonEndpointNotAllowed, awsapi.FlagAllowEndpointOverrides)
		}
	}
	if n := h.env.CallsTotal(); n != 0 {
		t.Errorf("the refused policy made %d AWS call(s)", n)
	}
}
