package controllers

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

// stepsJudgedFromTheFleet are the step conditions an incomplete inventory
// leaves without their input.
var stepsJudgedFromTheFleet = []string{
	ecswinv1alpha1.ConditionRoutesHealthy, ecswinv1alpha1.ConditionCredentialProxyHealthy,
	ecswinv1alpha1.ConditionNoPortConflicts, ecswinv1alpha1.ConditionRemediationHealthy,
}

// What the stored status says when the inventory read nothing (the only
// cluster is missing) or part of the fleet (AWS denies describing the
// instances of one page): InventorySynced False with the cause, the steps
// judged from the fleet Unknown/InventoryIncomplete saying what could not
// be read (not True with "0 host(s) checked"), and Ready False.
func TestConditionsUnknownWhenTheInventoryIsIncomplete(t *testing.T) {
	for name, tc := range map[string]struct {
		setup      func(h *harness, p *ecswinv1alpha1.FleetPolicy)
		syncReason string
		says       string
		event      string
	}{
		"failed": {
			setup:      func(_ *harness, p *ecswinv1alpha1.FleetPolicy) { p.Spec.Clusters = []string{"gone"} },
			syncReason: ecswinv1alpha1.ReasonClusterNotFound,
			says:       "gone: ClusterNotFound",
		},
		"partly failed": {
			setup: func(h *harness, _ *ecswinv1alpha1.FleetPolicy) {
				h.env.Sim.FailCalls("DescribeContainerInstances", "AccessDeniedException", 1, 1)
			},
			syncReason: ecswinv1alpha1.ReasonAccessDenied,
			says:       "grant ecs:DescribeContainerInstances",
			event:      "ecs:DescribeContainerInstances",
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, simtest.Options{})
			p := h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
			tc.setup(h, p)
			if err := testenv.Global.Client.Update(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			if _, err := h.reconcile(t); err != nil && name != "failed" {
				t.Fatal(err)
			}
			got := h.get(t)
			if c := condition(got, ecswinv1alpha1.ConditionInventorySynced); c.Status != metav1.ConditionFalse || c.Reason != tc.syncReason || !strings.Contains(c.Message, tc.says) {
				t.Errorf("InventorySynced = %s/%s: %s, want False/%s saying %q", c.Status, c.Reason, c.Message, tc.syncReason, tc.says)
			}
			for _, typ := range stepsJudgedFromTheFleet {
				if c := condition(got, typ); c.Status != metav1.ConditionUnknown || c.Reason != ecswinv1alpha1.ReasonInventoryIncomplete || !strings.Contains(c.Message, tc.says) {
					t.Errorf("%s = %s/%s: %s, want Unknown/%s saying %q", typ, c.Status, c.Reason, c.Message, ecswinv1alpha1.ReasonInventoryIncomplete, tc.says)
				}
			}
			if c := condition(got, ecswinv1alpha1.ConditionReady); c.Status != metav1.ConditionFalse || !strings.Contains(c.Message, "InventorySynced ("+tc.syncReason+")") {
				t.Errorf("Ready = %s/%s: %s, want False naming InventorySynced", c.Status, c.Reason, c.Message)
			}
			if tc.event == "" {
				return
			}
			found := false
			for _, e := range h.events.byReason(engine.EventAccessDenied) {
				found = found || e.Type == engine.EventWarning && strings.Contains(e.Message, "grant "+tc.event)
			}
			if !found {
				t.Errorf("no Warning %s event naming %s: %+v", engine.EventAccessDenied, tc.event, h.events.all())
			}
		})
	}
}
