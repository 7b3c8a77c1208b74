package engine_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/simtest"
)

// requireAllConditions checks that every condition is False with reason
// and a message holding each of want.
func requireAllConditions(t *testing.T, res engine.Result, reason string, want ...string) {
	t.Helper()
	if len(res.Conditions) == 0 {
		t.Fatal("no conditions")
	}
	for _, c := range res.Conditions {
		if c.Status != "False" || c.Reason != reason {
			t.Errorf("%s = %s/%s, want False/%s", c.Type, c.Status, c.Reason, reason)
		}
		for _, w := range want {
			if !strings.Contains(c.Message, w) {
				t.Errorf("%s message %q does not name %s", c.Type, c.Message, w)
			}
		}
	}
}

// A policy whose endpoints point outside AWS (the simulator, here) is
// refused when the operator did not pass --allow-endpoint-overrides:
// terminal, every condition says why, and the simulator sees no call.
func TestForeignEndpointIsRefusedAndNothingIsSent(t *testing.T) {
	env := smallEnvWith(t, simtest.Options{Trust: &awsapi.Trust{}})
	res, err := newEngine(env).Pass(context.Background(), engine.PolicyRef{Name: "p"}, env.Spec(t, v1alpha1.ModeEnforce))
	if !errors.Is(err, engine.ErrRefused) || !errors.Is(err, engine.ErrInvalidSpec) {
		t.Fatalf("err = %v, want a terminal refusal", err)
	}
	requireAllConditions(t, res, v1alpha1.ReasonEndpointNotAllowed, "spec.aws.endpoints.ecs", awsapi.FlagAllowEndpointOverrides)
	if res.RequeueAfter != 0 {
		t.Errorf("a refused policy asks to come back after %s", res.RequeueAfter)
	}
	if n := env.CallsTotal(); n != 0 {
		t.Errorf("the refused policy made %d call(s)", n)
	}
}

// A role outside --allowed-role-arns is refused before STS is asked, so
// neither STS nor the fleet sees a call.
func TestRoleOutsideTheAllowlistIsRefusedAndNothingIsSent(t *testing.T) {
	var stsCalls atomic.Int32
	sts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { stsCalls.Add(1) }))
	defer sts.Close()
	env := smallEnvWith(t, simtest.Options{Trust: &awsapi.Trust{
		AllowEndpointOverrides: true,
		AllowedRoleARNs:        awsapi.RolePatterns{"arn:aws:iam::123456789012:role/ecswin-*"},
	}})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.AWS.RoleARN = "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"
	spec.AWS.Endpoints.STS = sts.URL
	res, err := newEngine(env).Pass(context.Background(), engine.PolicyRef{Name: "p"}, spec)
	if !errors.Is(err, engine.ErrRefused) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	requireAllConditions(t, res, v1alpha1.ReasonRoleNotAllowed, "spec.aws.roleARN", "OrganizationAccountAccessRole", awsapi.FlagAllowedRoleARNs)
	if n := env.CallsTotal() + int(stsCalls.Load()); n != 0 {
		t.Errorf("the refused policy made %d call(s)", n)
	}
}

// A document of the policy's name that ecswin did not create is neither
// updated nor run: the inventory goes on, remediation stops with its
// reason, and no SendCommand or document write reaches SSM.
func TestDocumentNotOwnedIsRefusedAndNothingIsSent(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	theirs := `{"schemaVersion":"2.2","description":"the customer's","mainSteps":[{"action":"aws:runPowerShellScript","name":"x","inputs":{"runCommand":["echo theirs"]}}]}`
	if _, err := cl.SSM.CreateDocument(context.Background(), &ssm.CreateDocumentInput{Name: aws.String(spec.Remediation.DocumentName), Content: aws.String(theirs)}); err != nil {
		t.Fatal(err)
	}
	env.Sim.ResetCalls()
	eng := newEngine(env)
	var res engine.Result
	for i := 0; i < 3; i++ {
		if res, err = eng.Pass(context.Background(), engine.PolicyRef{Name: "p"}, spec); err != nil {
			t.Fatal(err)
		}
		env.Clock.Step(res.RequeueAfter)
	}
	rem := res.Condition(v1alpha1.ConditionRemediationHealthy)
	if rem.Status != "False" || rem.Reason != v1alpha1.ReasonDocumentNotOwned ||
		!strings.Contains(rem.Message, "spec.remediation.documentName") || !strings.Contains(rem.Message, "ecswin.io/managed-by=ecswin") {
		t.Errorf("RemediationHealthy = %s/%s: %s", rem.Status, rem.Reason, rem.Message)
	}
	if inv := res.Condition(v1alpha1.ConditionInventorySynced); inv.Status != "True" {
		t.Errorf("the inventory stopped too: %s/%s", inv.Status, inv.Reason)
	}
	calls := env.Sim.Calls()
	for _, op := range []string{"SendCommand", "UpdateDocument", "UpdateDocumentDefaultVersion", "CreateDocument"} {
		if n := calls.Get("ssm", op).Calls; n != 0 {
			t.Errorf("ssm:%s called %d time(s) on a document ecswin does not own", op, n)
		}
	}
	if res.Counts.RepairsInFlight != 0 {
		t.Errorf("%d run(s) in flight", res.Counts.RepairsInFlight)
	}
}

// A build that embeds no route-bootstrap hash and got no
// --bootstrap-sha256 sends no runs and writes no document, and says
// which flag to give.
func TestNoPinnedBootstrapHashSendsNoRuns(t *testing.T) {
	env := smallEnv(t)
	res, err := newEngineWith(env, "").Pass(context.Background(), engine.PolicyRef{Name: "p"}, env.Spec(t, v1alpha1.ModeEnforce))
	if err != nil {
		t.Fatal(err)
	}
	rem := res.Condition(v1alpha1.ConditionRemediationHealthy)
	if rem.Status != "False" || rem.Reason != v1alpha1.ReasonBootstrapHashMissing || !strings.Contains(rem.Message, engine.FlagBootstrapSHA256) {
		t.Errorf("RemediationHealthy = %s/%s: %s", rem.Status, rem.Reason, rem.Message)
	}
	calls := env.Sim.Calls()
	for _, op := range []string{"SendCommand", "CreateDocument", "UpdateDocument"} {
		if n := calls.Get("ssm", op).Calls; n != 0 {
			t.Errorf("ssm:%s called %d time(s) without a pinned hash", op, n)
		}
	}
	if inv := res.Condition(v1alpha1.ConditionInventorySynced); inv.Status != "True" {
		t.Errorf("the inventory stopped too: %s/%s", inv.Status, inv.Reason)
	}
}

// Someone with ssm:UpdateDocument changes ecswin's document and makes it
// the default: the next SendCommand (pinned to the version ecswin wrote,
// with its hash) still runs ecswin's content; when the document is
// replaced outright, SSM refuses the hash, the condition says so, and
// the next pass writes ecswin's content back (the document is still
// tagged as ecswin's) and runs resume.
func TestChangedDocumentIsRefusedThenRewritten(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeDryRun)
	eng := newEngine(env)
	ref := engine.PolicyRef{Name: "p"}
	run(t, env, eng, ref, spec, 20, func(r engine.Result) bool {
		return r.Counts.RepairsInFlight == 0 && r.Inventoried && r.CommandsSent == 0
	})
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	name := spec.Remediation.DocumentName
	edited := `{"schemaVersion":"2.2","description":"edited","mainSteps":[{"action":"aws:runPowerShellScript","name":"x","inputs":{"runCommand":["echo edited"]}}]}`
	ctx := context.Background()
	if _, err := cl.SSM.(*ssm.Client).DeleteDocument(ctx, &ssm.DeleteDocumentInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	// Recreated with ecswin's tag, as a careless copy would be.
	if _, err := cl.SSM.CreateDocument(ctx, &ssm.CreateDocumentInput{Name: aws.String(name), Content: aws.String(edited),
		Tags: []ssmtypes.Tag{{Key: aws.String("ecswin.io/managed-by"), Value: aws.String("ecswin")}}}); err != nil {
		t.Fatal(err)
	}
	sentBefore := env.Sim.Calls().Get("ssm", "SendCommand").Calls
	// Reverify every host: a run is due everywhere.
	env.Clock.Step(2 * spec.Intervals.Reverify.Duration)
	res, err := eng.Pass(ctx, ref, spec)
	if err != nil {
		t.Fatal(err)
	}
	rem := res.Condition(v1alpha1.ConditionRemediationHealthy)
	if rem.Reason != v1alpha1.ReasonDocumentChanged || res.CommandsSent != 0 {
		t.Fatalf("RemediationHealthy = %s/%s (%s), %d command(s) sent; want the changed document refused", rem.Status, rem.Reason, rem.Message, res.CommandsSent)
	}
	if env.Sim.Calls().Get("ssm", "SendCommand").Calls == sentBefore {
		t.Fatal("no SendCommand reached SSM: the refusal was not SSM's")
	}
	res = run(t, env, eng, ref, spec, 5, func(r engine.Result) bool { return r.CommandsSent > 0 })
	if res.CommandsSent == 0 {
		t.Fatalf("runs did not resume after ecswin rewrote its document:\n%s", conditionsString(res))
	}
	d, err := cl.SSM.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Document.DocumentVersion) != "2" {
		t.Errorf("default version %s, want ecswin's rewrite (2)", aws.ToString(d.Document.DocumentVersion))
	}
}

// An old stored policy may name a cluster by name and by ARN: it is
// collected once.
func TestClusterNamedTwiceIsCollectedOnce(t *testing.T) {
	env := smallEnv(t)
	spec := env.Spec(t, v1alpha1.ModeDryRun)
	once, err := newEngine(env).Pass(context.Background(), engine.PolicyRef{Name: "once"}, spec)
	if err != nil {
		t.Fatal(err)
	}
	listed := env.Sim.Calls().Get("ecs", "ListContainerInstances").Calls
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := cl.ECS.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: spec.Clusters[:1]})
	if err != nil || len(dc.Clusters) != 1 {
		t.Fatalf("describing %s: %v", spec.Clusters[0], err)
	}
	arn := aws.ToString(dc.Clusters[0].ClusterArn)
	spec.Clusters = append(spec.Clusters, arn)
	env.Sim.ResetCalls()
	twice, err := newEngine(env).Pass(context.Background(), engine.PolicyRef{Name: "twice"}, spec)
	if err != nil {
		t.Fatal(err)
	}
	if twice.Counts.Clusters != once.Counts.Clusters || twice.Counts.WindowsInstances != once.Counts.WindowsInstances {
		t.Errorf("counts %+v with the duplicate, %+v without", twice.Counts, once.Counts)
	}
	if got := env.Sim.Calls().Get("ecs", "ListContainerInstances").Calls; got != listed {
		t.Errorf("ListContainerInstances called %d times with the duplicate, %d without", got, listed)
	}
}

// Status must never carry the external ID, even when AssumeRole fails:
// the viewer role may read it.
func TestExternalIDStaysOutOfTheResult(t *testing.T) {
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>`))
	}))
	defer sts.Close()
	env := smallEnvWith(t, simtest.Options{Trust: &awsapi.Trust{AllowEndpointOverrides: true, AllowedRoleARNs: awsapi.RolePatterns{"arn:aws:iam::*:role/ecswin"}}})
	spec := env.Spec(t, v1alpha1.ModeDryRun)
	spec.AWS.RoleARN, spec.AWS.ExternalID = "arn:aws:iam::123456789012:role/ecswin", "secret-tenant-token-4242"
	spec.AWS.Endpoints.STS = sts.URL
	res, _ := newEngine(env).Pass(context.Background(), engine.PolicyRef{Name: "p"}, spec)
	if s := conditionsString(res); strings.Contains(s, spec.AWS.ExternalID) {
		t.Errorf("the external ID reached the conditions:\n%s", s)
	}
	for _, h := range res.HostIssues {
		if strings.Contains(h.Message, spec.AWS.ExternalID) {
			t.Errorf("the external ID reached a host issue: %s", h.Message)
		}
	}
	for _, e := range res.Events {
		if strings.Contains(e.Message, spec.AWS.ExternalID) {
			t.Errorf("the external ID reached an event: %s", e.Message)
		}
	}
}
