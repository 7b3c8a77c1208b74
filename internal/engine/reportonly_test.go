package engine_test

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/metrics"
)

// Under hostProxy: Report a broken proxy is a report-only finding: the
// run on its host did all it was allowed (exit 9, the invocation
// succeeds), so with maxErrors 0 and one host at a time SSM stops
// nothing, every host is checked, and none is counted failed or
// cancelled. The proxies stay broken and the hosts Drifted.
func TestReportOnlyProxyFaultsStopNothingInSSM(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Remediation.HostProxy = v1alpha1.HostProxyReport
	zero := int32(0)
	spec.Remediation.MaxErrors, spec.Remediation.MaxConcurrency = &zero, 1
	var victims []string
	for _, h := range env.Sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		if h.SSMOnline && h.ProxyHealthy {
			if err := env.Sim.BreakProxy(h.InstanceID, memos.ProxyAddressNotUp); err != nil {
				t.Fatal(err)
			}
			victims = append(victims, h.InstanceID)
		}
	}
	if len(victims) < 3 {
		t.Fatalf("only %d host(s) to break", len(victims))
	}
	eng := newEngine(env)
	settled := func(r engine.Result) bool {
		return r.Counts.RepairsInFlight == 0 && r.HostStates[engine.HostUnverified] == 0
	}
	res := run(t, env, eng, policy, spec, 60, settled)
	if !settled(res) {
		t.Fatalf("not settled: %v", res.HostStates)
	}
	for _, result := range []string{metrics.RepairCancelled, metrics.RepairFailed} {
		if n := seriesSum(t, env.Registry, "ecswin_remediation_repairs_total", map[string]string{"result": result}); n != 0 {
			t.Errorf("%v run(s) counted %s; report-only faults must stop nothing", n, result)
		}
	}
	if n := seriesSum(t, env.Registry, "ecswin_remediation_repairs_total", map[string]string{"result": metrics.RepairReported}); int(n) < len(victims) {
		t.Errorf("%v run(s) counted %s, want at least the %d hosts whose proxy was broken", n, metrics.RepairReported, len(victims))
	}
	if n := res.HostStates[engine.HostRepairFailed] + res.HostStates[engine.HostReportUnreadable]; n != 0 {
		t.Errorf("%d host(s) failing: %v", n, res.HostStates)
	}
	for _, id := range victims {
		st, _ := env.Sim.HostState(id)
		if st.ProxyHealthy {
			t.Errorf("%s: its proxy was repaired under hostProxy: Report", id)
		}
		if st.CommandsRun == 0 {
			t.Errorf("%s: never checked (SSM stopped the command before it?)", id)
		}
	}
}
