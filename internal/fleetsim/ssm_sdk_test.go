package fleetsim_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

const docName = "ecswin-route-bootstrap"

func createDocument(t *testing.T, e *env) {
	t.Helper()
	out, err := e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{
		Name: aws.String(docName), Content: aws.String(docContent(t)),
		DocumentType: ssmtypes.DocumentTypeCommand, DocumentFormat: ssmtypes.DocumentFormatJson,
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.DocumentDescription.Hash) != ssmdoc.Hash([]byte(docContent(t))) {
		t.Fatalf("hash %s, want %s", aws.ToString(out.DocumentDescription.Hash), ssmdoc.Hash([]byte(docContent(t))))
	}
}

func bootstrapParams(check bool) map[string][]string {
	c := "false"
	if check {
		c = "true"
	}
	return map[string][]string{
		"source":      {"https://artifacts.example.com/route-bootstrap.exe"},
		"check":       {c},
		"repairProxy": {"true"},
	}
}

func send(t *testing.T, e *env, ids []string, params map[string][]string) string {
	t.Helper()
	out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String(docName), InstanceIds: ids, Parameters: params,
		MaxErrors: aws.String("100%"), TimeoutSeconds: aws.Int32(60),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Command.Status != ssmtypes.CommandStatusPending {
		t.Fatalf("new command status %s", out.Command.Status)
	}
	return aws.ToString(out.Command.CommandId)
}

func invocation(t *testing.T, e *env, cmdID, id string) *ssm.GetCommandInvocationOutput {
	t.Helper()
	out, err := e.ssm.GetCommandInvocation(ctx(t), &ssm.GetCommandInvocationInput{CommandId: aws.String(cmdID), InstanceId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSendCommandLifecycleRepairsHost(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	drifted := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})
	if len(drifted) == 0 {
		t.Fatal("the small scenario should have drifted hosts")
	}
	before := e.sim.FleetSummary()
	if before.Healthy() {
		t.Fatalf("fleet starts healthy: %+v", before)
	}
	id := drifted[0]
	cmdID := send(t, e, []string{id}, bootstrapParams(false))

	_, err := e.ssm.GetCommandInvocation(ctx(t), &ssm.GetCommandInvocationInput{CommandId: aws.String(cmdID), InstanceId: aws.String(id)})
	var notYet *ssmtypes.InvocationDoesNotExist
	if !errors.As(err, &notYet) {
		t.Fatalf("right after SendCommand: %v, want InvocationDoesNotExist", err)
	}

	steps := []struct {
		after    time.Duration
		status   ssmtypes.CommandInvocationStatus
		details  string
		response int32
	}{
		{600 * time.Millisecond, ssmtypes.CommandInvocationStatusPending, "Pending", -1},
		{600 * time.Millisecond, ssmtypes.CommandInvocationStatusInProgress, "In Progress", -1},
		{2 * time.Second, ssmtypes.CommandInvocationStatusSuccess, "Success", 0},
	}
	var last *ssm.GetCommandInvocationOutput
	for _, s := range steps {
		e.clock.Step(s.after)
		last = invocation(t, e, cmdID, id)
		if last.Status != s.status || aws.ToString(last.StatusDetails) != s.details || last.ResponseCode != s.response {
			t.Fatalf("after %v: %s/%s rc %d, want %s/%s rc %d", s.after, last.Status, aws.ToString(last.StatusDetails), last.ResponseCode, s.status, s.details, s.response)
		}
	}
	r, err := report.Parse([]byte(aws.ToString(last.StandardOutputContent)))
	if err != nil {
		t.Fatalf("report: %v\n%s", err, aws.ToString(last.StandardOutputContent))
	}
	if r.Summary.Outcome != report.OutcomeRepaired {
		t.Fatalf("outcome %s, want Repaired", r.Summary.Outcome)
	}
	st, _ := e.sim.HostState(id)
	if st.ContainersLackingRoute != 0 || !st.ProxyHealthy || st.CommandsRun != 1 {
		t.Fatalf("host after repair: %+v", st)
	}
	if got := e.sim.FleetSummary(); got.ContainersLackingRoute+got.DeadProxies >= before.ContainersLackingRoute+before.DeadProxies {
		t.Fatalf("fleet did not improve: before %+v after %+v", before, got)
	}
}

func TestEnforceRepairsEveryHostAndCheckChangesNothing(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	windows := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	before := e.sim.FleetSummary()

	check := send(t, e, windows, bootstrapParams(true))
	e.clock.Step(10 * time.Second)
	if got := e.sim.FleetSummary(); got.ContainersLackingRoute != before.ContainersLackingRoute || got.DeadProxies != before.DeadProxies {
		t.Fatalf("--check changed the fleet: before %+v after %+v", before, got)
	}
	list, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{CommandId: aws.String(check)})
	if err != nil {
		t.Fatal(err)
	}
	// A check on drifted hosts did what it was asked (route-bootstrap
	// exits 9, drift reported, and the document 0): every invocation
	// succeeds, the reports say what is wrong.
	if c := list.Commands[0]; c.Status != ssmtypes.CommandStatusSuccess || c.CompletedCount != int32(len(windows)) || c.ErrorCount != 0 {
		t.Fatalf("check command: %s/%s completed %d errors %d", c.Status, aws.ToString(c.StatusDetails), c.CompletedCount, c.ErrorCount)
	}

	enforce := send(t, e, windows, bootstrapParams(false))
	e.clock.Step(10 * time.Second)
	after := e.sim.FleetSummary()
	if !after.Healthy() {
		t.Fatalf("fleet not healthy after enforce: %+v", after)
	}
	invs, err := e.ssm.ListCommandInvocations(ctx(t), &ssm.ListCommandInvocationsInput{CommandId: aws.String(enforce), Details: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(invs.CommandInvocations) != len(windows) {
		t.Fatalf("%d invocations, want %d", len(invs.CommandInvocations), len(windows))
	}
	for _, inv := range invs.CommandInvocations {
		if inv.Status != ssmtypes.CommandInvocationStatusSuccess || len(inv.CommandPlugins) != 1 || len(aws.ToString(inv.CommandPlugins[0].Output)) > 2500 {
			t.Fatalf("invocation %s: %s plugins %d", aws.ToString(inv.InstanceId), inv.Status, len(inv.CommandPlugins))
		}
	}
}

func TestUndeliverableHangingAndFailingHosts(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:4]
	if err := e.sim.SetAgentOnline(ids[0], false); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetCommandBehavior(ids[1], fleetsim.BehaveHang); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetCommandBehavior(ids[2], fleetsim.BehaveFail); err != nil {
		t.Fatal(err)
	}
	info, err := e.ssm.DescribeInstanceInformation(ctx(t), &ssm.DescribeInstanceInformationInput{
		Filters: []ssmtypes.InstanceInformationStringFilter{{Key: aws.String("InstanceIds"), Values: ids[:1]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.InstanceInformationList) != 1 || info.InstanceInformationList[0].PingStatus != ssmtypes.PingStatusConnectionLost {
		t.Fatalf("instance information %+v", info.InstanceInformationList)
	}
	params := bootstrapParams(false)
	params["executionTimeout"] = []string{"120"}
	cmdID := send(t, e, ids, params)
	e.clock.Step(5 * time.Second)
	want := map[string]string{ids[0]: "Undeliverable", ids[1]: "In Progress", ids[2]: "Failed", ids[3]: "Success"}
	for id, details := range want {
		if got := aws.ToString(invocation(t, e, cmdID, id).StatusDetails); got != details {
			t.Fatalf("%s: %s, want %s", id, got, details)
		}
	}
	e.clock.Step(2 * time.Minute)
	if got := invocation(t, e, cmdID, ids[1]); got.Status != ssmtypes.CommandInvocationStatusTimedOut || aws.ToString(got.StatusDetails) != "Execution Timed Out" {
		t.Fatalf("hanging host: %s/%s", got.Status, aws.ToString(got.StatusDetails))
	}
}

func TestMaxConcurrencyAndDeliveryTimeout(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	for _, id := range ids {
		if err := e.sim.SetCommandBehavior(id, fleetsim.BehaveHang); err != nil {
			t.Fatal(err)
		}
	}
	out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String(docName), InstanceIds: ids, Parameters: bootstrapParams(true),
		MaxConcurrency: aws.String("2"), MaxErrors: aws.String("100%"), TimeoutSeconds: aws.Int32(30),
	})
	if err != nil {
		t.Fatal(err)
	}
	cmdID := aws.ToString(out.Command.CommandId)
	e.clock.Step(2 * time.Second)
	running := 0
	for _, id := range ids {
		if invocation(t, e, cmdID, id).Status == ssmtypes.CommandInvocationStatusInProgress {
			running++
		}
	}
	if running != 2 {
		t.Fatalf("%d in progress, want MaxConcurrency 2", running)
	}
	e.clock.Step(time.Minute)
	timedOut := 0
	for _, id := range ids {
		if aws.ToString(invocation(t, e, cmdID, id).StatusDetails) == "Delivery Timed Out" {
			timedOut++
		}
	}
	if timedOut != len(ids)-2 {
		t.Fatalf("%d delivery timeouts, want %d", timedOut, len(ids)-2)
	}
}

func TestSSMErrors(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	id := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	tooMany := make([]string, 51)
	for i := range tooMany {
		tooMany[i] = "i-0123456789abcdef0"
	}
	tests := map[string]struct {
		call func() error
		code string
	}{
		"unknown instance": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: []string{"i-0123456789abcdef0"}, Parameters: bootstrapParams(true)})
			return err
		}, "InvalidInstanceId"},
		"51 instances": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: tooMany, Parameters: bootstrapParams(true)})
			return err
		}, "ValidationException"},
		"unknown document": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String("nope"), InstanceIds: []string{id}})
			return err
		}, "InvalidDocument"},
		"missing parameter": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: []string{id}})
			return err
		}, "InvalidParameters"},
		"bad parameter value": {func() error {
			p := bootstrapParams(true)
			p["check"] = []string{"maybe"}
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: []string{id}, Parameters: p})
			return err
		}, "InvalidParameters"},
		"document exists": {func() error {
			_, err := e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{Name: aws.String(docName), Content: aws.String(docContent(t))})
			return err
		}, "DocumentAlreadyExists"},
		"same content": {func() error {
			_, err := e.ssm.UpdateDocument(ctx(t), &ssm.UpdateDocumentInput{Name: aws.String(docName), Content: aws.String(docContent(t)), DocumentVersion: aws.String("$LATEST")})
			return err
		}, "DuplicateDocumentContent"},
		"update a document AWS owns": {func() error {
			_, err := e.ssm.UpdateDocument(ctx(t), &ssm.UpdateDocumentInput{Name: aws.String("AWS-RunShellScript"), Content: aws.String(docContent(t))})
			return err
		}, "InvalidDocumentOperation"},
		"delete a document AWS owns": {func() error {
			_, err := e.ssm.DeleteDocument(ctx(t), &ssm.DeleteDocumentInput{Name: aws.String("AWS-RunShellScript")})
			return err
		}, "InvalidDocumentOperation"},
		"a tag value off the pattern": {func() error {
			_, err := e.ssm.AddTagsToResource(ctx(t), &ssm.AddTagsToResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingDocument,
				ResourceId: aws.String(docName), Tags: []ssmtypes.Tag{{Key: aws.String("team"), Value: aws.String("a#b")}}})
			return err
		}, "ValidationException"},
		"unknown command": {func() error {
			_, err := e.ssm.GetCommandInvocation(ctx(t), &ssm.GetCommandInvocationInput{CommandId: aws.String("00000000-0000-4000-8000-000000000000"), InstanceId: aws.String(id)})
			return err
		}, "InvocationDoesNotExist"},
		"list unknown command": {func() error {
			_, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{CommandId: aws.String("00000000-0000-4000-8000-000000000000")})
			return err
		}, "InvalidCommandId"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestDocumentVersions(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	changed := strings.Replace(docContent(t), `"default": "600"`, `"default": "900"`, 1)
	up, err := e.ssm.UpdateDocument(ctx(t), &ssm.UpdateDocumentInput{Name: aws.String(docName), Content: aws.String(changed), DocumentVersion: aws.String("$LATEST")})
	if err != nil {
		t.Fatal(err)
	}
	if v := aws.ToString(up.DocumentDescription.DocumentVersion); v != "2" || aws.ToString(up.DocumentDescription.DefaultVersion) != "1" {
		t.Fatalf("update gave version %s default %s", v, aws.ToString(up.DocumentDescription.DefaultVersion))
	}
	if _, err := e.ssm.UpdateDocumentDefaultVersion(ctx(t), &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String(docName), DocumentVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	d, err := e.ssm.DescribeDocument(ctx(t), &ssm.DescribeDocumentInput{Name: aws.String(docName)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Document.DefaultVersion) != "2" || aws.ToString(d.Document.DocumentVersion) != "2" || aws.ToString(d.Document.Hash) == ssmdoc.Hash([]byte(docContent(t))) {
		t.Fatalf("describe: %+v", d.Document)
	}
	g, err := e.ssm.GetDocument(ctx(t), &ssm.GetDocumentInput{Name: aws.String(docName), DocumentVersion: aws.String("1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(g.Content) != docContent(t) {
		t.Fatal("version 1 content changed")
	}
}
