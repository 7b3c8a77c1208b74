package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// The demo's storefront service maps host port 80 on prod-windows, where
// every host has task roles on: no task of it ever runs, and only its
// service brings the conflict to light. legacy-iis runs (on the hosts
// without task roles) and is found through its tasks, once.
func TestPassReportsConflictsOfServicesThatNeverPlace(t *testing.T) {
	sc, err := fleetsim.BuiltinScenario("demo")
	if err != nil {
		t.Fatal(err)
	}
	env := simtest.New(t, sc, simtest.Options{})
	res, err := newEngine(env).Pass(context.Background(), policy, env.Spec(t, v1alpha1.ModeDryRun))
	if err != nil {
		t.Fatal(err)
	}
	conflicts := map[string]audit.Finding{}
	for _, f := range res.Findings {
		if f.Reason == audit.ReasonHostPort80Conflict {
			if _, dup := conflicts[f.Cluster+"/"+f.TaskDefinition]; dup {
				t.Errorf("two conflicts for %s/%s", f.Cluster, f.TaskDefinition)
			}
			conflicts[f.Cluster+"/"+f.TaskDefinition] = f
		}
	}
	if len(conflicts) != 2 || res.Counts.Port80Conflicts != 2 {
		t.Fatalf("conflicts %v (count %d), want storefront:1 and legacy-iis:1", conflicts, res.Counts.Port80Conflicts)
	}
	desired := 0
	for _, cl := range sc.Clusters {
		for _, s := range cl.Services {
			if s.Name == "storefront" {
				desired = s.DesiredCount
			}
		}
	}
	store, ok := conflicts["prod-windows/storefront:1"]
	if !ok || desired == 0 || store.Count != desired ||
		!strings.Contains(store.Message, fmt.Sprintf("storefront (desired %d, running 0, pending 0)", desired)) ||
		!strings.Contains(store.Message, fmt.Sprintf("%d of their desired task(s) cannot place", desired)) {
		t.Errorf("storefront conflict = %+v, want the scenario's %d desired tasks that never place", store, desired)
	}
	if _, ok := conflicts["legacy-windows/legacy-iis:1"]; !ok {
		t.Errorf("legacy-iis conflict missing: %v", conflicts)
	}
}
