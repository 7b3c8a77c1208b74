package engine_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// A host whose every run fails flips between RepairFailed and Repairing
// in ecswin_fleet_hosts as it is retried, so an alert on that state
// restarts its `for` at every retry. ecswin_audit_host_findings counts it
// on every pass from its first failure on, retries in flight included:
// the series the failing-repairs alert watches never drops to 0.
func TestAlwaysFailingHostStaysCounted(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	var victim string
	for _, h := range env.Sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true}) {
		if h.SSMOnline && h.TaskRoles {
			victim = h.InstanceID
			break
		}
	}
	if err := env.Sim.SetCommandBehavior(victim, fleetsim.BehaveFail); err != nil {
		t.Fatal(err)
	}
	eng := newEngine(env)
	failedOnce, sawRepairing, retries := false, false, 0
	for pass := 0; pass < 200 && retries < 3; pass++ {
		res, err := eng.Pass(t.Context(), policy, spec)
		if err != nil {
			t.Fatal(err)
		}
		state := seriesSum(t, env.Registry, "ecswin_fleet_hosts", map[string]string{"state": string(engine.HostRepairFailed)})
		findings := seriesSum(t, env.Registry, "ecswin_audit_host_findings", map[string]string{"reason": audit.ReasonRepairFailed})
		if failedOnce {
			if findings != 1 {
				t.Fatalf("pass %d: ecswin_audit_host_findings{reason=RepairFailed} = %v after the host's first failure, want 1 (states %v)", pass, findings, res.HostStates)
			}
			if state == 0 {
				sawRepairing = true
			}
		}
		if state == 1 && !failedOnce {
			failedOnce = true
		}
		if failedOnce && res.HostsTargeted > 0 {
			retries++
		}
		env.Clock.Step(res.RequeueAfter)
	}
	if !failedOnce || retries < 3 {
		t.Fatalf("the host failed %v, was retried %d time(s); want a failure and 3 retries", failedOnce, retries)
	}
	if !sawRepairing {
		t.Error("the state gauge never left RepairFailed during a retry: the test does not show the flapping it guards against")
	}
}

// seriesSum sums the values of the gauge or counter series of name whose
// labels include want.
func seriesSum(t *testing.T, g prometheus.Gatherer, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if hasLabels(m, want) {
				sum += m.GetGauge().GetValue() + m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}
