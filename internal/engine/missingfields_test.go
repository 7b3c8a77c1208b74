package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/engine/enginetest"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// Bad SSM output on some hosts marks each of them ReportUnreadable with
// the parser's reason, and the rest of the fleet converges.
func TestBadReportsMarkOnlyTheirHosts(t *testing.T) {
	env := smallEnv(t)
	ids := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	other, err := json.Marshal(report.Report{Schema: report.SchemaVersion, Summary: report.Summary{
		Command: report.CommandHost, Outcome: report.OutcomeHealthy, InstanceID: "i-0someoneelse0000", ProxyHealthy: true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	long := `{"schema":"` + report.SchemaVersion + `","summary":{"command":"host","outcome":"Healthy","problems":["` + strings.Repeat("x", 30000)
	cases := map[string]struct{ output, want string }{
		"empty":          {"", "empty"},
		"cut at 24,000":  {long, "truncated"},
		"not JSON":       {"Access is denied.\r\n", "not JSON"},
		"unknown schema": {`{"schema":"route-bootstrap.ecswin.io/v9","summary":{}}`, "unsupported report schema"},
		"another host's": {string(other), "claims instance"},
	}
	outputs := map[string]string{}
	wantByHost := map[string]string{}
	i := 0
	for name, c := range cases {
		outputs[ids[i]] = c.output
		wantByHost[ids[i]] = c.want
		t.Logf("%s: %s", ids[i], name)
		i++
	}
	url := env.ServeRewritten(t, enginetest.ReplaceOutputs(outputs))
	spec := env.Spec(v1alpha1.ModeEnforce)
	spec.AWS.Endpoints.ECS, spec.AWS.Endpoints.SSM = url, url

	settled := func(r engine.Result) bool {
		return r.Counts.RepairsInFlight == 0 && r.HostStates[engine.HostUnverified] == 0 &&
			r.HostStates[engine.HostReportUnreadable] == len(cases)
	}
	res := env.Run(t, env.Engine(), policy, spec, 30, settled)
	if !settled(res) {
		t.Fatalf("did not settle: states %v", res.HostStates)
	}
	if got, want := res.HostStates[engine.HostHealthy], len(ids)-len(cases); got != want {
		t.Errorf("healthy hosts = %d, want %d (states %v)", got, want, res.HostStates)
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		want, bad := wantByHost[f.InstanceID]
		if !bad || f.Reason != audit.ReasonReportUnreadable {
			continue
		}
		seen[f.InstanceID] = true
		if !strings.Contains(f.Message, want) {
			t.Errorf("%s: message %q does not say %q", f.InstanceID, f.Message, want)
		}
	}
	if len(seen) != len(cases) {
		t.Errorf("ReportUnreadable findings for %d hosts, want %d", len(seen), len(cases))
	}
	if got := enginetest.Condition(res, v1alpha1.ConditionRemediationHealthy); got.Reason != v1alpha1.ReasonRepairsFailing {
		t.Errorf("RemediationHealthy = %+v, want %s", got, v1alpha1.ReasonRepairsFailing)
	}
}

// AWS answers missing fields never panic the engine: each case drops
// fields everywhere in the answers and runs passes to the end.
func TestMissingFieldsNeverPanic(t *testing.T) {
	cases := map[string]struct {
		ops  []string
		keys []string
	}{
		"instance ARNs and IDs":       {[]string{"DescribeContainerInstances"}, []string{"containerInstanceArn", "ec2InstanceId"}},
		"instance attributes":         {[]string{"DescribeContainerInstances"}, []string{"attributes", "registeredResources", "name", "value"}},
		"instance status":             {[]string{"DescribeContainerInstances"}, []string{"status", "agentConnected", "versionInfo"}},
		"task fields":                 {[]string{"DescribeTasks"}, []string{"taskArn", "taskDefinitionArn", "startedAt", "overrides"}},
		"task instance":               {[]string{"DescribeTasks"}, []string{"containerInstanceArn"}},
		"task definition":             {[]string{"DescribeTaskDefinition"}, []string{"taskDefinition"}},
		"task definition fields":      {[]string{"DescribeTaskDefinition"}, []string{"family", "containerDefinitions", "portMappings", "networkMode"}},
		"clusters":                    {[]string{"DescribeClusters"}, []string{"clusterArn", "clusterName"}},
		"list pages":                  {[]string{"ListContainerInstances", "ListTasks"}, []string{"containerInstanceArns", "taskArns"}},
		"ssm instance info":           {[]string{"DescribeInstanceInformation"}, []string{"InstanceId", "PingStatus"}},
		"command ID":                  {[]string{"SendCommand"}, []string{"CommandId"}},
		"invocation fields":           {[]string{"ListCommandInvocations"}, []string{"InstanceId", "Status", "CommandPlugins", "StatusDetails"}},
		"plugin output":               {[]string{"ListCommandInvocations", "GetCommandInvocation"}, []string{"Output", "StandardOutputContent", "ResponseCode"}},
		"document description":        {[]string{"DescribeDocument", "UpdateDocument"}, []string{"Document", "DocumentDescription", "Hash"}},
		"listed commands":             {[]string{"ListCommands"}, []string{"CommandId", "InstanceIds", "Status", "RequestedDateTime"}},
		"everything named with an id": {nil, []string{"CommandId", "InstanceId", "taskArn", "containerInstanceArn"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env := smallEnv(t)
			url := env.ServeRewritten(t, enginetest.DropFields(c.ops, c.keys...))
			spec := env.Spec(v1alpha1.ModeEnforce)
			spec.AWS.Endpoints.ECS, spec.AWS.Endpoints.SSM = url, url
			eng := env.Engine()
			for i := 0; i < 8; i++ {
				res, _ := eng.Pass(t.Context(), policy, spec)
				if len(res.Conditions) != len(v1alpha1.StepConditions) {
					t.Fatalf("pass %d: %d conditions, want %d", i, len(res.Conditions), len(v1alpha1.StepConditions))
				}
				env.Clock.Step(res.RequeueAfter)
			}
		})
	}
}
