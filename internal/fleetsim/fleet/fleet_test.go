package fleet

import (
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

func build(t *testing.T, seed uint64) *Fleet {
	t.Helper()
	s := scenario.Generate(scenario.Size{WindowsInstances: 40, TasksPerInstance: 3, Seed: seed,
		Drift: scenario.Drift{ContainersWithoutRoute: 0.2, DeadProxies: 2}})
	f, err := Build(s, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestBuildIsReproducible(t *testing.T) {
	a, b, c := build(t, 1), build(t, 1), build(t, 2)
	ai, bi, ci := a.Clusters[0].Instances, b.Clusters[0].Instances, c.Clusters[0].Instances
	for k := range ai {
		if ai[k].ARN() != bi[k].ARN() || len(ai[k].Tasks) != len(bi[k].Tasks) || ai[k].ContainersLackingRoute() != bi[k].ContainersLackingRoute() {
			t.Fatalf("instance %d differs between builds with the same seed", k)
		}
	}
	if ai[0].ARN() == ci[0].ARN() {
		t.Fatal("a different seed gave the same ARNs")
	}
	if s := a.Summarize(); s.DeadProxies != 2*4 || s.ContainersLackingRoute == 0 { // drift counts are per group, 4 groups
		t.Fatalf("drift not applied: %+v", s)
	}
}

func TestSpreadGivesExactShares(t *testing.T) {
	tests := map[string]struct {
		n     int
		share float64
		want  int
	}{
		"none":      {10, 0, 0},
		"all":       {10, 1, 10},
		"95 of 80":  {80, 0.95, 76},
		"half of 7": {7, 0.5, 3},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := 0
			for i := range tc.n {
				if spread(i, tc.share) {
					got++
				}
			}
			if got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	f := build(t, 1)
	insts := f.Clusters[0].Instances
	tests := map[string]struct {
		expr    string
		want    int
		wantErr bool
	}{
		"empty":           {"", 40, false},
		"equals":          {"attribute:ecs.os-type == windows", 40, false},
		"quoted value":    {"attribute:ecs.os-type == 'windows'", 40, false},
		"exists":          {"attribute:ecs.capability.task-eni exists", 20, false},
		"not exists":      {"attribute:ecs.capability.task-eni not_exists", 20, false},
		"in":              {"attribute:ecs.os-family in [WINDOWS_SERVER_2019_FULL,WINDOWS_SERVER_2022_CORE]", 20, false},
		"not in":          {"attribute:ecs.os-family not_in (WINDOWS_SERVER_2019_FULL)", 30, false},
		"and binds first": {"attribute:ecs.os-type == linux and attribute:ecs.os-type == windows or attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL", 10, false},
		"symbols":         {"attribute:ecs.os-type == windows && attribute:ecs.capability.task-eni exists", 20, false},
		"no attribute":    {"ecs.os-type == windows", 0, true},
		"no operator":     {"attribute:ecs.os-type", 0, true},
		"no value":        {"attribute:ecs.os-type ==", 0, true},
		"bad operator":    {"attribute:ecs.os-type ~= windows", 0, true},
		"dangling and":    {"attribute:ecs.os-type == windows and", 0, true},
		"unclosed list":   {"attribute:ecs.os-type in [windows", 0, true},
		"missing joiner":  {"attribute:a exists attribute:b exists", 0, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			match, err := ParseFilter(tc.expr)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			got := 0
			for _, i := range insts {
				if match(i) {
					got++
				}
			}
			if got != tc.want {
				t.Fatalf("%q matched %d, want %d", tc.expr, got, tc.want)
			}
		})
	}
}

func TestRebootReplacesTasksWithoutRoutes(t *testing.T) {
	f := build(t, 1)
	inst := f.Clusters[0].Instances[0]
	old := append([]*Task(nil), inst.Tasks...)
	f.Reboot(inst)
	if inst.ProxyHealthy() || inst.Host.Reboots != 1 {
		t.Fatal("proxy should be down after a reboot")
	}
	if len(inst.Tasks) != len(old) {
		t.Fatalf("%d tasks after reboot, want %d", len(inst.Tasks), len(old))
	}
	nat := 0
	for k, task := range inst.Tasks {
		if task.ID == old[k].ID || old[k].LastStatus != TaskStopped {
			t.Fatal("tasks should be replaced by new ones")
		}
		if task.Def.NATMode() {
			nat += len(task.Def.Containers)
		}
	}
	if inst.ContainersLackingRoute() != nat {
		t.Fatalf("%d containers lack the route, want all %d NAT ones", inst.ContainersLackingRoute(), nat)
	}
}

func TestAttributesLimitAndReserved(t *testing.T) {
	f := build(t, 1)
	inst := f.Clusters[0].Instances[0]
	for k := range MaxCustomAttributes {
		if !inst.PutAttribute(Attribute{Name: "custom." + string(rune('a'+k)), Value: "v"}) {
			t.Fatalf("attribute %d refused", k)
		}
	}
	if inst.PutAttribute(Attribute{Name: "one.too.many"}) {
		t.Fatal("the 11th custom attribute was accepted")
	}
	if !inst.PutAttribute(Attribute{Name: "custom.a", Value: "changed"}) {
		t.Fatal("overwriting an attribute should not count against the limit")
	}
	if v, _ := inst.Attr("custom.a"); v != "changed" {
		t.Fatalf("custom.a = %q", v)
	}
	if !IsBuiltinAttribute("ecs.os-type") || !IsBuiltinAttribute("com.amazonaws.ecs.capability.task-iam-role") || IsBuiltinAttribute("ecswin.io/credentials") {
		t.Fatal("reserved prefixes misclassified")
	}
}
