package controllers

import (
	"context"
	"testing"
	"time"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
)

// scriptedEngine answers passes with the results it was given, in order.
type scriptedEngine struct{ results []engine.Result }

func (e *scriptedEngine) Pass(context.Context, engine.PolicyRef, ecswinv1alpha1.FleetPolicySpec) (engine.Result, error) {
	res := e.results[0]
	if len(e.results) > 1 {
		e.results = e.results[1:]
	}
	return res, nil
}

func (e *scriptedEngine) Forget(engine.PolicyRef) {}

// The status write replaces what was there: lists that empty out and
// counts that fall to zero are stored so, on the first write and later.
func TestStatusWriteClearsWhatIsGone(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	h.createPolicy(t, ecswinv1alpha1.ModeDryRun)
	broken := resultWith("False", time.Now())
	broken.Counts = ecswinv1alpha1.FleetCounts{Clusters: 1, WindowsInstances: 2, DriftedHosts: 1}
	broken.HostIssues = []ecswinv1alpha1.HostIssue{{Cluster: "c", InstanceID: "i-1", Reason: "RouteMissing", Message: "m"}}
	broken.TaskDefinitionIssues = []ecswinv1alpha1.TaskDefinitionIssue{{Cluster: "c", TaskDefinition: "iis:1", Reason: "HostPort80Conflict", Message: "m"}}
	broken.HostIssuesOmitted, broken.TaskDefinitionIssuesOmitted = 7, 3
	fixed := resultWith("True", time.Now())
	fixed.Counts = ecswinv1alpha1.FleetCounts{Clusters: 1, WindowsInstances: 2}
	h.r.Engine = &scriptedEngine{results: []engine.Result{broken, fixed}}

	if _, err := h.reconcile(t); err != nil {
		t.Fatal(err)
	}
	got := h.get(t).Status
	if got.Counts.DriftedHosts != 1 || len(got.HostIssues) != 1 || len(got.TaskDefinitionIssues) != 1 || got.HostIssuesOmitted != 7 || got.TaskDefinitionIssuesOmitted != 3 {
		t.Fatalf("first write = %+v", got)
	}
	if _, err := h.reconcile(t); err != nil {
		t.Fatal(err)
	}
	got = h.get(t).Status
	if got.Counts.DriftedHosts != 0 || got.Counts.WindowsInstances != 2 || got.HostIssues != nil || got.TaskDefinitionIssues != nil ||
		got.HostIssuesOmitted != 0 || got.TaskDefinitionIssuesOmitted != 0 {
		t.Errorf("second write kept what is gone: %+v", got)
	}
	if c := condition(h.get(t), ecswinv1alpha1.ConditionReady); c.Status != "True" {
		t.Errorf("Ready = %s after every step turned True", c.Status)
	}
}

// A converged fleet that stays so costs a status write only when
// lastSyncTime is lastSyncRefresh old: inventories that find the same
// fleet change nothing else. Counted as resourceVersion changes over half
// an hour of passes on the fake clock.
func TestSteadyFleetWritesStatusRarely(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	p := h.mustConverge(t)
	const window = 30 * time.Minute
	start, rv := h.env.Clock.Now(), p.ResourceVersion
	passes, writes := 0, 0
	for h.env.Clock.Since(start) < window {
		res, err := h.reconcile(t)
		if err != nil {
			t.Fatal(err)
		}
		passes++
		if now := h.get(t); now.ResourceVersion != rv {
			writes++
			rv = now.ResourceVersion
		}
		h.env.Clock.Step(res.RequeueAfter)
	}
	t.Logf("%d status writes in %d passes over %s", writes, passes, window)
	if want := int(window/lastSyncRefresh) + 1; writes > want || passes < 2*want {
		t.Errorf("%d status writes in %d passes over %s of a steady fleet, want at most %d (one per %s)", writes, passes, window, want, lastSyncRefresh)
	}
	if got := h.get(t).Status.LastSyncTime; got == nil || h.env.Clock.Since(got.Time) > lastSyncRefresh+h.env.Spec(t, ecswinv1alpha1.ModeEnforce).Intervals.Inventory.Duration {
		t.Errorf("lastSyncTime = %v at %v: older than the refresh allows", got, h.env.Clock.Now())
	}
}
