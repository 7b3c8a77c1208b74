package v1alpha1_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

// kubectl get tells the story: mode, fleet, drift, conflicts, Ready and
// the last complete inventory by default; -o wide adds the instances,
// the task-role capability, the repairs in flight and Ready's reason.
func TestKubectlColumns(t *testing.T) {
	ctx := context.Background()
	p := validPolicy("columns")
	p.Spec.Remediation.Mode = v1alpha1.ModeEnforce
	if err := testenv.Global.Client.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testenv.Global.Client.Delete(ctx, p) })
	now := metav1.NewTime(time.Now().Add(-3 * time.Minute))
	p.Status = v1alpha1.FleetPolicyStatus{
		LastSyncTime: &now,
		Counts: v1alpha1.FleetCounts{Clusters: 3, ContainerInstances: 300, WindowsInstances: 280, TaskRoleEnabled: 276,
			DriftedHosts: 4, Port80Conflicts: 1, RepairsInFlight: 6},
		Conditions: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse, Reason: "StepsNotReady",
			Message: "not ready", LastTransitionTime: now}},
	}
	if err := testenv.Global.Client.Status().Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	get := func(args ...string) []string {
		t.Helper()
		out, err := testenv.Global.Kubectl(nil, append([]string{"get", "fleetpolicy", "columns"}, args...)...)
		if errors.Is(err, testenv.ErrNoKubectl) {
			t.Skip("kubectl not found on PATH")
		}
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 2 {
			t.Fatalf("kubectl get printed\n%s", out)
		}
		return []string{strings.Join(strings.Fields(lines[0]), " "), strings.Join(strings.Fields(lines[1]), " ")}
	}
	def := get()
	if want := "NAME MODE REGION CLUSTERS HOSTS DRIFTED CONFLICTS READY LAST SYNC AGE"; def[0] != want {
		t.Errorf("header %q, want %q", def[0], want)
	}
	if !strings.HasPrefix(def[1], "columns Enforce us-east-1 3 280 4 1 False 3m") {
		t.Errorf("row %q", def[1])
	}
	wide := get("-o", "wide")
	if want := "LAST SYNC INSTANCES TASK ROLES IN FLIGHT REASON AGE"; !strings.Contains(wide[0], want) {
		t.Errorf("-o wide header %q lacks %q", wide[0], want)
	}
	if !strings.Contains(wide[1], " 300 276 6 StepsNotReady ") {
		t.Errorf("-o wide row %q", wide[1])
	}
}
