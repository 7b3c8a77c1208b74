package controllers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

func TestDeletedPolicyLeavesNoStaleMetrics(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	p := h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	h.runUntil(t, 30, converged)
	ref := engine.PolicyRef{Namespace: p.Namespace, Name: p.Name}.String()
	before := strings.Join(simtest.PolicySeries(t, h.env.Registry, ref), "\n")
	for _, want := range []string{"ecswin_fleet_hosts", "ecswin_remediation_repairs_total", "ecswin_fleet_drift_detected_total"} {
		if !strings.Contains(before, want) {
			t.Fatalf("no %s series for %s before deletion:\n%s", want, ref, before)
		}
	}

	if err := testenv.Global.Client.Delete(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if _, err := h.reconcile(t); err != nil {
		t.Fatalf("reconciling a deleted policy: %v", err)
	}
	if got := simtest.PolicySeries(t, h.env.Registry, ref); len(got) != 0 {
		t.Errorf("stale series after deleting %s:\n%v", ref, got)
	}
}

// invalidEngine rejects every spec, as the engine does for one it
// cannot act on.
type invalidEngine struct{ forgotten []engine.PolicyRef }

func (e *invalidEngine) Pass(context.Context, engine.PolicyRef, ecswinv1alpha1.FleetPolicySpec) (engine.Result, error) {
	var res engine.Result
	for _, typ := range ecswinv1alpha1.StepConditions {
		res.Conditions = append(res.Conditions, engine.StepCondition{Type: typ, Status: "False", Reason: ecswinv1alpha1.ReasonInvalidSpec, Message: "bad"})
	}
	return res, fmt.Errorf("%w: spec.aws.region is empty", engine.ErrInvalidSpec)
}

func (e *invalidEngine) Forget(ref engine.PolicyRef) { e.forgotten = append(e.forgotten, ref) }

func TestInvalidSpecIsTerminal(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	h.createPolicy(t, ecswinv1alpha1.ModeDryRun)
	h.r.Engine = &invalidEngine{}
	res, err := h.reconcile(t)
	if !errors.Is(err, reconcile.TerminalError(nil)) || !errors.Is(err, engine.ErrInvalidSpec) {
		t.Fatalf("err = %v, want a terminal error wrapping ErrInvalidSpec", err)
	}
	if res.RequeueAfter != 0 {
		t.Errorf("RequeueAfter = %v for a spec only a change can fix", res.RequeueAfter)
	}
	if got := condition(h.get(t), ecswinv1alpha1.ConditionReady); got.Status != "False" {
		t.Errorf("Ready = %+v, want False", got)
	}
}
