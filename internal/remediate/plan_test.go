package remediate

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

func TestPlanFor(t *testing.T) {
	base := func(mut func(*v1alpha1.FleetPolicySpec)) v1alpha1.FleetPolicySpec {
		two := int32(2)
		s := v1alpha1.FleetPolicySpec{
			Route: v1alpha1.RouteSpec{Destinations: []string{"169.254.170.2/32"}, AdapterPattern: "Hyper-V Virtual Ethernet*"},
			Remediation: v1alpha1.RemediationSpec{
				Mode: v1alpha1.ModeEnforce, HostProxy: v1alpha1.HostProxyReport, DocumentName: "doc",
				Bootstrap:      v1alpha1.BootstrapSource{Source: "https://example.com/rb.exe"},
				MaxConcurrency: 10, MaxErrors: &two, CommandTimeout: metav1.Duration{Duration: 5 * time.Minute},
			},
		}
		if mut != nil {
			mut(&s)
		}
		return s
	}
	cases := map[string]struct {
		spec                         v1alpha1.FleetPolicySpec
		check, repairProxy, maxError string
		err                          string
	}{
		"enforce":            {spec: base(nil), check: "false", repairProxy: "false", maxError: "2"},
		"enforce with proxy": {spec: base(func(s *v1alpha1.FleetPolicySpec) { s.Remediation.HostProxy = v1alpha1.HostProxyEnforce }), check: "false", repairProxy: "true", maxError: "2"},
		"dry run never repairs the proxy": {spec: base(func(s *v1alpha1.FleetPolicySpec) {
			s.Remediation.Mode, s.Remediation.HostProxy = v1alpha1.ModeDryRun, v1alpha1.HostProxyEnforce
		}), check: "true", repairProxy: "false", maxError: "100%"},
		"adapter pattern the document refuses": {spec: base(func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "a,b[1]" }), err: "adapterPattern"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			plan, err := PlanFor(c.spec)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one about %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := plan.Parameters
			if p[ssmdoc.ParamCheck][0] != c.check || p[ssmdoc.ParamRepairProxy][0] != c.repairProxy || plan.MaxErrors != c.maxError {
				t.Errorf("check=%v repairProxy=%v maxErrors=%s", p[ssmdoc.ParamCheck], p[ssmdoc.ParamRepairProxy], plan.MaxErrors)
			}
			if v, ok := p["sha256"]; ok {
				t.Errorf("the plan sends a sha256 parameter %v: the hash belongs in the document's content, not to the caller", v)
			}
			if got := p[ssmdoc.ParamExecutionTimeout][0]; got != "300" {
				t.Errorf("executionTimeout = %s, want 300", got)
			}
			if plan.DeliveryTimeout != 25*time.Minute {
				t.Errorf("delivery timeout = %s, want 5 rounds of 5m", plan.DeliveryTimeout)
			}
		})
	}
}
