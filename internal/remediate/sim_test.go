package remediate_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/engine/enginetest"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/remediate"
)

func simSSM(t *testing.T) (*enginetest.Env, awsapi.SSMAPI, v1alpha1.FleetPolicySpec) {
	t.Helper()
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	env := enginetest.New(t, sc, enginetest.Options{})
	spec := engine.WithDefaults(env.Spec(v1alpha1.ModeEnforce))
	cl, err := env.Clients.Clients(context.Background(), spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	return env, cl.SSM, spec
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
		got, err := remediate.EnsureDocument(ctx, api, "doc-test")
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: change = %q, want %q", s.name, got, s.want)
		}
	}
	d, err := api.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String("doc-test")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Document.Hash) != ssmdoc.SHA256() {
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
	if _, err := remediate.EnsureDocument(ctx, api, spec.Remediation.DocumentName); err != nil {
		t.Fatal(err)
	}
	spec.Remediation.CommandTimeout.Duration = time.Minute
	plan, err := remediate.PlanFor(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 4)
	if err != nil || len(cmds) != 1 {
		t.Fatalf("send: %v, %d commands", err, len(cmds))
	}
	got := map[string]remediate.Outcome{}
	for i := 0; i < 200 && len(got) < len(ids); i++ {
		res, _ := remediate.Poll(ctx, api, cmds, env.Clock.Now(), 4)
		for _, o := range res.Outcomes {
			got[o.InstanceID] = o
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

// Recover finds commands still running for our document, and only those.
func TestRecover(t *testing.T) {
	env, api, spec := simSSM(t)
	ctx := context.Background()
	if _, err := remediate.EnsureDocument(ctx, api, spec.Remediation.DocumentName); err != nil {
		t.Fatal(err)
	}
	plan, _ := remediate.PlanFor(spec)
	ids := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	sent, err := remediate.Send(ctx, api, plan, ids, env.Clock.Now(), 4)
	if err != nil {
		t.Fatal(err)
	}
	got, err := remediate.Recover(ctx, api, spec.Remediation.DocumentName, env.Clock.Now().Add(-time.Hour), env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sent) || len(got[0].InstanceIDs) != len(ids) || got[0].Check {
		t.Fatalf("recovered %+v, sent %+v", got, sent)
	}
	env.Clock.Step(time.Hour)
	if _, err := api.ListCommands(ctx, &ssm.ListCommandsInput{}); err != nil { // let the simulator catch up
		t.Fatal(err)
	}
	got, err = remediate.Recover(ctx, api, spec.Remediation.DocumentName, env.Clock.Now().Add(-2*time.Hour), env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("recovered finished commands: %+v", got)
	}
}
