package remediate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/remediate"
	"github.com/ecswin/ecswin/internal/simtest"
)

func simSSM(t *testing.T) (*simtest.Env, awsapi.SSMAPI, v1alpha1.FleetPolicySpec) {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	env := simtest.New(t, sc, simtest.Options{})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	return env, cl.SSM, spec
}

// content is ecswin's document pinning the test engines' bootstrap hash.
func content(t *testing.T) []byte {
	t.Helper()
	c, err := ssmdoc.Content(simtest.BootstrapSHA256)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ensure runs EnsureDocument and fails the test on an error.
func ensure(t *testing.T, api awsapi.SSMAPI, name string) remediate.Document {
	t.Helper()
	doc, err := remediate.EnsureDocument(context.Background(), api, name, content(t))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestEnsureDocument(t *testing.T) {
	_, api, _ := simSSM(t)
	ctx := context.Background()
	steps := []struct {
		name  string
		setup func()
		want  remediate.DocumentChange
	}{
		{"missing: created", nil, remediate.DocumentCreated},
		{"current: untouched", nil, remediate.DocumentUnchanged},
		{"edited by hand: updated and made default", func() {
			edited := `{"schemaVersion":"2.2","description":"edited","mainSteps":[{"action":"aws:runPowerShellScript","name":"x","inputs":{"runCommand":["echo hi"]}}]}`
			if _, err := api.UpdateDocument(ctx, &ssm.UpdateDocumentInput{Name: aws.String("doc-test"), Content: aws.String(edited), DocumentVersion: aws.String("$LATEST")}); err != nil {
				t.Fatal(err)
			}
			if _, err := api.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String("doc-test"), DocumentVersion: aws.String("2")}); err != nil {
				t.Fatal(err)
			}
		}, remediate.DocumentUpdated},
		{"current again", nil, remediate.DocumentUnchanged},
	}
	for _, s := range steps {
		if s.setup != nil {
			s.setup()
		}
		got, err := remediate.EnsureDocument(ctx, api, "doc-test", content(t))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got.Change != s.want {
			t.Errorf("%s: change = %q, want %q", s.name, got.Change, s.want)
		}
		if got.Hash != ssmdoc.Hash(content(t)) || got.Version == "" {
			t.Errorf("%s: ensured %+v, want our hash and a version", s.name, got)
		}
	}
	d, err := api.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String("doc-test")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Document.Hash) != ssmdoc.Hash(content(t)) {
		t.Errorf("default version hash = %s, want ours", aws.ToString(d.Document.Hash))
	}
}

// Each way a run can end on a host becomes its own outcome; nothing
// waits: the clock is stepped between polls.
func TestPollOutcomes(t *testing.T) {
	env, api, spec := simSSM(t)
	ctx := context.Background()
	ids := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:4]
	normal, hanging, offline, failing := ids[0], ids[1], ids[2], ids[3]
	if err := env.Sim.SetCommandBehavior(failing, fleetsim.BehaveFail); err != nil {
		t.Fatal(err)
	}
	if err := env.Sim.SetCommandBehavior(hanging, fleetsim.BehaveHang); err != nil {
		t.Fatal(err)
	}
	if err := env.Sim.SetAgentOnline(offline, false); err != nil {
		t.Fatal(err)
	}
	doc := ensure(t, api, spec.Remediation.DocumentName)
	spec.Remediation.CommandTimeout.Duration = time.Minute
	plan, err := remediate.PlanFor(spec)
	if err != nil {
		t.Fatal(err)
	}
	plan = plan.With(doc)
	cmds, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 4)
	if err != nil || len(cmds) != 1 {
		t.Fatalf("send: %v, %d commands", err, len(cmds))
	}
	got := map[string]remediate.Outcome{}
	for i := 0; i < 200 && len(got) < len(ids); i++ {
		readings, _ := remediate.Read(ctx, api, cmds, 4)
		for _, r := range readings {
			outs, _ := r.Outcomes(env.Clock.Now())
			for _, o := range outs {
				got[o.InstanceID] = o
			}
		}
		env.Clock.Step(5 * time.Second)
	}
	want := map[string]remediate.Result{normal: remediate.ResultReport, hanging: remediate.ResultTimedOut, offline: remediate.ResultUndeliverable, failing: remediate.ResultFailed}
	for id, w := range want {
		if got[id].Result != w {
			t.Errorf("%s: result %q (%s), want %q", id, got[id].Result, got[id].Message, w)
		}
	}
	if r := got[normal].Report; r == nil || r.InstanceID != normal {
		t.Errorf("normal host report = %+v", r)
	}
}

// Recover finds the commands of our document: running while they run,
// then finished, and none of another document's.
func TestRecover(t *testing.T) {
	env, api, spec := simSSM(t)
	ctx := context.Background()
	doc := ensure(t, api, spec.Remediation.DocumentName)
	plan, _ := remediate.PlanFor(spec)
	plan = plan.With(doc)
	ids := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	sent, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 4)
	if err != nil {
		t.Fatal(err)
	}
	got, err := remediate.Recover(ctx, api, spec.Remediation.DocumentName, env.Clock.Now().Add(-time.Hour), env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Running) != len(sent) || len(got.Running[0].InstanceIDs) != len(ids) || got.Running[0].Check || len(got.Finished) != 0 {
		t.Fatalf("recovered %+v, sent %+v", got, sent)
	}
	if other, err := remediate.Recover(ctx, api, "ecswin-other", env.Clock.Now().Add(-time.Hour), env.Clock.Now()); err != nil || len(other.Running)+len(other.Finished) != 0 {
		t.Errorf("another document's commands: %+v, %v", other, err)
	}
	env.Clock.Step(time.Hour)
	if _, err := api.ListCommands(ctx, &ssm.ListCommandsInput{}); err != nil { // let the simulator catch up
		t.Fatal(err)
	}
	got, err = remediate.Recover(ctx, api, spec.Remediation.DocumentName, env.Clock.Now().Add(-2*time.Hour), env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Running) != 0 || len(got.Finished) != len(sent) || got.Finished[0].ID != sent[0].ID || !got.Finished[0].RequestedAt.Equal(sent[0].RequestedAt) {
		t.Errorf("after the runs: running %+v, finished %+v; want the sent command finished", got.Running, got.Finished)
	}
}

// A document of the policy's name that ecswin did not create (no
// managed-by tag) is neither changed nor returned for runs.
func TestEnsureDocumentLeavesForeignDocumentsAlone(t *testing.T) {
	_, api, _ := simSSM(t)
	ctx := context.Background()
	foreign := `{"schemaVersion":"2.2","description":"the customer's","mainSteps":[{"action":"aws:runPowerShellScript","name":"x","inputs":{"runCommand":["echo theirs"]}}]}`
	if _, err := api.CreateDocument(ctx, &ssm.CreateDocumentInput{Name: aws.String("ecswin-theirs"), Content: aws.String(foreign)}); err != nil {
		t.Fatal(err)
	}
	doc, err := remediate.EnsureDocument(ctx, api, "ecswin-theirs", content(t))
	if !errors.Is(err, remediate.ErrDocumentNotOwned) || doc.Name != "" {
		t.Fatalf("EnsureDocument = %+v, %v; want ErrDocumentNotOwned", doc, err)
	}
	if !strings.Contains(err.Error(), "spec.remediation.documentName") {
		t.Errorf("the error does not say what to change: %v", err)
	}
	d, err := api.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String("ecswin-theirs")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Document.LatestVersion) != "1" {
		t.Errorf("the foreign document got a new version (%s)", aws.ToString(d.Document.LatestVersion))
	}
}

// Send pins the ensured version and its hash: after the document changes
// behind ecswin's back, SSM refuses the batch and nothing runs.
func TestSendPinsTheEnsuredDocument(t *testing.T) {
	env, api, spec := simSSM(t)
	ctx := context.Background()
	doc := ensure(t, api, spec.Remediation.DocumentName)
	plan, err := remediate.PlanFor(spec)
	if err != nil {
		t.Fatal(err)
	}
	ids := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:2]
	if _, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 1); err == nil {
		t.Fatal("a plan pinned to no document version was sent")
	}
	plan = plan.With(doc)
	if cmds, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 1); err != nil || len(cmds) != 1 {
		t.Fatalf("send: %v (%d commands)", err, len(cmds))
	}
	// Someone deletes and recreates the document with their content.
	foreign := `{"schemaVersion":"2.2","description":"not ecswin's","mainSteps":[{"action":"aws:runPowerShellScript","name":"x","inputs":{"runCommand":["echo theirs"]}}]}`
	if _, err := api.(*ssm.Client).DeleteDocument(ctx, &ssm.DeleteDocumentInput{Name: aws.String(spec.Remediation.DocumentName)}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateDocument(ctx, &ssm.CreateDocumentInput{Name: aws.String(spec.Remediation.DocumentName), Content: aws.String(foreign)}); err != nil {
		t.Fatal(err)
	}
	_, err = remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 1)
	if !awsapi.IsKind(err, awsapi.KindDocumentChanged) {
		t.Fatalf("send after the document changed: err = %v, want SSM's document hash refusal", err)
	}
}
