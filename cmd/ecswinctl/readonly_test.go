package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/cliout"
)

// writes are the calls that change something in AWS or on a host.
var writes = []struct{ service, operation string }{
	{"ssm", "SendCommand"}, {"ssm", "CreateDocument"}, {"ssm", "UpdateDocument"}, {"ssm", "UpdateDocumentDefaultVersion"},
	{"ecs", "PutAttributes"}, {"ecs", "DeleteAttributes"},
}

// audit --wait=false judges from ECS and what SSM already knows: it sends
// no check (not even to a policy in Enforce), writes no document, and
// says so in RemediationHealthy, while it still reports what ECS shows.
func TestAuditWithoutWaitSendsNothing(t *testing.T) {
	policy, sim := simPolicy(t, "Enforce")
	sim.ResetCalls()
	var out, errOut bytes.Buffer
	code := runCLI(append([]string{"audit", "--policy", policy, "-o", "json", "--wait=false"}, simTrust...), &out, &errOut)
	if code != cliout.ExitFindings {
		t.Fatalf("exit %d, want %d (findings); stderr %s", code, cliout.ExitFindings, errOut.String())
	}
	calls := sim.Calls()
	if calls.Total("").Calls == 0 {
		t.Fatal("the simulator answered no call: the audit read nothing")
	}
	for _, w := range writes {
		if n := calls.Get(w.service, w.operation).Calls; n != 0 {
			t.Errorf("audit --wait=false made %d %s %s call(s), want none", n, w.service, w.operation)
		}
	}
	rep := decodeAudit(t, out.Bytes(), code)
	if len(rep.Findings) == 0 || rep.Policies[0].Counts.Port80Conflicts == 0 {
		t.Errorf("the read-only audit lost what ECS shows: %d findings, counts %+v", len(rep.Findings), rep.Policies[0].Counts)
	}
	var remediation cliout.Condition
	for _, c := range rep.Policies[0].Conditions {
		if c.Type == v1alpha1.ConditionRemediationHealthy {
			remediation = c
		}
	}
	if remediation.Status != "Unknown" || remediation.Reason != v1alpha1.ReasonReadOnly || !strings.Contains(remediation.Message, "nothing was sent") {
		t.Errorf("RemediationHealthy = %+v, want Unknown/%s saying nothing was sent", remediation, v1alpha1.ReasonReadOnly)
	}
}

// The default audit does send checks (route-bootstrap --check), and only
// checks: the read-only audit is --wait=false's, not every audit's.
func TestAuditThatWaitsSendsChecks(t *testing.T) {
	policy, sim := simPolicy(t, "Enforce")
	sim.ResetCalls()
	var out, errOut bytes.Buffer
	runCLI(append([]string{"audit", "--policy", policy, "-o", "json", "--timeout", "2m"}, simTrust...), &out, &errOut)
	if n := sim.Calls().Get("ssm", "SendCommand").Calls; n == 0 {
		t.Errorf("the waiting audit sent no check; stderr %s", errOut.String())
	}
}
