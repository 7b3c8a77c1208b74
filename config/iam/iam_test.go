// Package iam_test ties the IAM policies of config/iam to the AWS
// operations ecswin's code can call.
package iam_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/remediate"
)

type statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

type policy struct {
	Version   string
	Statement []statement
}

func load(t *testing.T, file string) policy {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var p policy
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if p.Version != "2012-10-17" || len(p.Statement) == 0 {
		t.Fatalf("%s: version %q, %d statements", file, p.Version, len(p.Statement))
	}
	for _, s := range p.Statement {
		if s.Sid == "" || s.Effect != "Allow" {
			t.Errorf("%s: statement %q: every statement has a Sid and allows", file, s.Sid)
		}
	}
	return p
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// actions is every action a policy allows, with the resources each gets.
func actions(p policy) map[string][]string {
	out := map[string][]string{}
	for _, s := range p.Statement {
		for _, a := range strs(s.Action) {
			out[a] = append(out[a], strs(s.Resource)...)
		}
	}
	return out
}

// interfaceActions are the IAM actions of every method of the narrow
// interfaces the domain packages call AWS through.
func interfaceActions() []string {
	var out []string
	for prefix, typ := range map[string]reflect.Type{
		"ecs": reflect.TypeFor[awsapi.ECSAPI](),
		"ssm": reflect.TypeFor[awsapi.SSMAPI](),
		"sqs": reflect.TypeFor[awsapi.SQSAPI](),
	} {
		for i := range typ.NumMethod() {
			out = append(out, awsapi.IAMAction(prefix, typ.Method(i).Name))
		}
	}
	sort.Strings(out)
	return out
}

func keys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The Enforce policy names exactly what the code can call (every
// interface method, and the AssumeRole of spec.aws.roleARN); the DryRun
// policy exactly that minus every write. A call added to the interfaces
// without its policy lines fails here.
func TestPoliciesMatchTheOperations(t *testing.T) {
	calls := interfaceActions()
	for _, a := range calls {
		if _, ok := awsapi.Operations[a]; !ok {
			t.Errorf("%s is called through the interfaces but awsapi.Operations does not classify it", a)
		}
	}
	if len(awsapi.Operations) != len(calls) {
		t.Errorf("awsapi.Operations lists %d actions, the interfaces have %d methods", len(awsapi.Operations), len(calls))
	}
	wantEnforce := append(slices.Clone(calls), awsapi.SessionActions...)
	var wantDryRun []string
	for _, a := range wantEnforce {
		if awsapi.Operations[a] != awsapi.AccessWrite {
			wantDryRun = append(wantDryRun, a)
		}
	}
	sort.Strings(wantEnforce)
	sort.Strings(wantDryRun)
	for file, want := range map[string][]string{"controller-policy.json": wantEnforce, "controller-dryrun-policy.json": wantDryRun} {
		got := keys(actions(load(t, file)))
		if !slices.Equal(got, want) {
			t.Errorf("%s allows\n  %v\nthe code calls\n  %v", file, got, want)
		}
	}
	for a := range actions(load(t, "controller-dryrun-policy.json")) {
		if awsapi.Operations[a] == awsapi.AccessWrite {
			t.Errorf("the DryRun policy allows the write %s", a)
		}
	}
}

// unscopable are the actions IAM gives no resource type (the Service
// Authorization Reference): only they may have Resource "*".
var unscopable = []string{
	"ecs:ListServices", "ecs:DescribeTaskDefinition",
	"ssm:DescribeInstanceInformation", "ssm:ListCommands", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation",
}

func TestPoliciesScopeEveryActionIAMCanScope(t *testing.T) {
	for _, file := range []string{"controller-policy.json", "controller-dryrun-policy.json"} {
		p := load(t, file)
		for a, resources := range actions(p) {
			for _, r := range resources {
				if r == "*" && !slices.Contains(unscopable, a) {
					t.Errorf("%s: %s on *, though IAM scopes it by resource", file, a)
				}
			}
		}
		for _, s := range p.Statement {
			for _, a := range strs(s.Action) {
				if strings.Contains(a, "*") {
					t.Errorf("%s: statement %s grants the wildcard action %s", file, s.Sid, a)
				}
			}
			// The event queue: ecswin's own queues, by name, nothing else.
			for _, a := range strs(s.Action) {
				if strings.HasPrefix(a, "sqs:") && !slices.Equal(strs(s.Resource), []string{"arn:PARTITION:sqs:REGION:ACCOUNT_ID:ecswin-*"}) {
					t.Errorf("%s: %s on %v, want only the ecswin-* queues", file, a, strs(s.Resource))
				}
			}
			if !slices.Contains(strs(s.Action), "ssm:SendCommand") {
				continue
			}
			// SendCommand: ecswin's own tagged document, and hosts
			// that carry the fleet tag, never any document anywhere.
			for _, r := range strs(s.Resource) {
				switch {
				case strings.Contains(r, ":document/"):
					if !strings.HasSuffix(r, ":document/ecswin-*") || s.Condition["StringEquals"]["ssm:resourceTag/"+remediate.ManagedByTagKey] != remediate.ManagedByTagValue {
						t.Errorf("%s: SendCommand on %s without the %s=%s condition", file, r, remediate.ManagedByTagKey, remediate.ManagedByTagValue)
					}
				case strings.Contains(r, ":instance/") || strings.Contains(r, ":managed-instance/"):
					if s.Condition["StringEquals"]["ssm:resourceTag/ecswin.io/managed"] != "true" {
						t.Errorf("%s: SendCommand on %s without the host tag condition", file, r)
					}
				default:
					t.Errorf("%s: SendCommand on unexpected resource %s", file, r)
				}
			}
		}
	}
	// Document writes are ecswin's own: created only with its tag,
	// updated only when tagged.
	for _, s := range load(t, "controller-policy.json").Statement {
		for _, a := range strs(s.Action) {
			var key string
			switch a {
			case "ssm:CreateDocument":
				key = "aws:RequestTag/" + remediate.ManagedByTagKey
			case "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion":
				key = "ssm:resourceTag/" + remediate.ManagedByTagKey
			default:
				continue
			}
			if s.Condition["StringEquals"][key] != remediate.ManagedByTagValue {
				t.Errorf("%s is not conditioned on %s=%s", a, key, remediate.ManagedByTagValue)
			}
		}
	}
}

func TestTrustPolicies(t *testing.T) {
	irsa := load(t, "irsa-trust-policy.json").Statement[0]
	if strs(irsa.Action)[0] != "sts:AssumeRoleWithWebIdentity" ||
		irsa.Condition["StringEquals"]["OIDC_PROVIDER:sub"] != "system:serviceaccount:ecswin-system:ecswin-controller-manager" {
		t.Errorf("IRSA trust: %+v", irsa)
	}
	pod := load(t, "pod-identity-trust-policy.json").Statement[0]
	if !slices.Equal(strs(pod.Action), []string{"sts:AssumeRole", "sts:TagSession"}) ||
		pod.Condition["StringEquals"]["aws:RequestTag/kubernetes-service-account"] != "ecswin-controller-manager" {
		t.Errorf("Pod Identity trust: %+v", pod)
	}
	cross := load(t, "cross-account-trust-policy.json")
	assume, source := cross.Statement[0], cross.Statement[1]
	if !slices.Equal(strs(assume.Action), []string{"sts:AssumeRole"}) || assume.Condition["StringEquals"]["sts:ExternalId"] == nil ||
		assume.Condition["StringLike"]["sts:RoleSessionName"] != "ecswin-*" || assume.Condition["StringLike"]["sts:SourceIdentity"] != "ecswin-*" {
		t.Errorf("cross-account trust, AssumeRole: %+v", assume)
	}
	// sts:SetSourceIdentity knows no sts:ExternalId or RoleSessionName
	// key: a condition on them would deny it, so it has its own statement.
	if !slices.Equal(strs(source.Action), []string{"sts:SetSourceIdentity"}) || len(source.Condition["StringEquals"]) != 0 ||
		source.Condition["StringLike"]["sts:SourceIdentity"] != "ecswin-*" || len(source.Condition["StringLike"]) != 1 {
		t.Errorf("cross-account trust, SetSourceIdentity: %+v", source)
	}
	// The session names the trust policy expects are the ones ecswin uses.
	if !strings.HasPrefix(awsapi.SessionName("payments"), "ecswin-") {
		t.Error("session names no longer start with ecswin-")
	}
}
