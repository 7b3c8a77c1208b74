package hostcheck

import (
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// TestPlanRepair: the steps follow from the reasons alone; report-only
// reasons add none.
func TestPlanRepair(t *testing.T) {
	apipa := &hostos.Adapter{Index: 9, Alias: "vEthernet (APIPA)"}
	rule := &hostos.PortProxyRule{Listen: hostos.ProxyListen, Connect: hostos.AgentAddress}
	tests := map[string]struct {
		pc   ProxyCheck
		want repairPlan
	}{
		"restart": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyAddressNotPreferred}, apipa: apipa, rule: rule},
			want: repairPlan{deleteRule: true, removeAdapter: true, createAdapter: true, addAddress: true, addRule: true}},
		"no adapter, no rule": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyAdapterMissing, report.ProxyRuleMissing}},
			want: repairPlan{createAdapter: true, addAddress: true, addRule: true}},
		"address missing": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyAddressMissing}, apipa: apipa, rule: rule},
			want: repairPlan{deleteRule: true, addAddress: true, addRule: true}},
		"rule missing": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyRuleMissing}, apipa: apipa},
			want: repairPlan{addRule: true}},
		"ghost": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyGhostRule}, apipa: apipa, rule: rule},
			want: repairPlan{deleteRule: true, addRule: true}},
		"report-only": {pc: ProxyCheck{Reasons: []report.ProxyReason{report.ProxyAgentNotListening, report.ProxyExcludedPortRange, report.ProxyIPHelperStopped}, apipa: apipa, rule: rule},
			want: repairPlan{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := planRepair(tc.pc); got != tc.want {
				t.Errorf("plan %+v, want %+v", got, tc.want)
			}
		})
	}
}
