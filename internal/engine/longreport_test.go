package engine_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/engine/enginetest"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// A report longer than the 2,500 characters ListCommandInvocations shows
// is read whole with GetCommandInvocation; when SSM first answers
// InvocationDoesNotExist there, the host stays in flight and the next
// poll reads it.
func TestLongReportReadWhole(t *testing.T) {
	env := smallEnv(t)
	host := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	r := report.Report{Schema: report.SchemaVersion, Summary: report.Summary{
		Command: report.CommandHost, Outcome: report.OutcomeBroken, InstanceID: host, ProxyHealthy: true,
		ContainersChecked: 40, ContainersLackingRouteBefore: 40, ContainersLackingRouteAfter: 40,
	}}
	for i := range 40 {
		r.Containers = append(r.Containers, report.Container{ID: fmt.Sprintf("c%011d", i), TaskARN: fmt.Sprintf("task/%d", i),
			Status: report.ContainerLacking, Message: strings.Repeat("m", 60)})
	}
	long, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(long) <= 2500 {
		t.Fatalf("report of %d characters is not long enough", len(long))
	}
	url := env.ServeFaulty(t, enginetest.ReplaceOutputs(map[string]string{host: string(long)}),
		enginetest.FailTimes("GetCommandInvocation", "InvocationDoesNotExist", 1))
	spec := env.Spec(v1alpha1.ModeDryRun)
	spec.AWS.Endpoints.ECS, spec.AWS.Endpoints.SSM = url, url

	res := env.Run(t, env.Engine(), policy, spec, 30, func(r engine.Result) bool {
		return r.Counts.RepairsInFlight == 0 && r.HostStates[engine.HostUnverified] == 0
	})
	var lacking int32
	for _, hi := range res.HostIssues {
		if hi.InstanceID == host && hi.Reason == "RouteMissing" {
			lacking = hi.ContainersLackingRoute
		}
	}
	if lacking != 40 {
		t.Errorf("host %s: %d containers lacking the route, want the long report's 40 (issues %+v)", host, lacking, res.HostIssues)
	}
	if got := env.Sim.Calls().Get("ssm", "GetCommandInvocation").Calls; got != 1 {
		t.Errorf("GetCommandInvocation reached SSM %d times, want once after the injected InvocationDoesNotExist", got)
	}
	if got := enginetest.Condition(res, v1alpha1.ConditionRemediationHealthy); got.Status != "True" {
		t.Errorf("RemediationHealthy = %+v: a transient InvocationDoesNotExist is no failure", got)
	}
}
