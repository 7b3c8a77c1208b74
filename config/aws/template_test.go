package awstemplate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/awslabs/goformation/v7/schema"
	"github.com/xeipuuv/gojsonschema"

	awstemplate "github.com/ecswin/ecswin/config/aws"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim/eventbus"
)

var clusterARNs = []string{"arn:aws:ecs:us-east-1:123456789012:cluster/windows", "arn:aws:ecs:us-east-1:123456789012:cluster/legacy"}

// resolved is the template with its intrinsic functions evaluated as
// CloudFormation would at deploy time: parameters by their values,
// resources' Ref and GetAtt by placeholders that name them. A reference
// to anything the template does not define fails the test.
func resolved(t *testing.T) []byte {
	t.Helper()
	raw, err := intrinsics.ProcessYAML(awstemplate.Template(), &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
			"Ref": func(name string, input, template any) any {
				ref, _ := input.(string)
				params, _ := template.(map[string]any)["Parameters"].(map[string]any)
				if p, ok := params[ref].(map[string]any); ok {
					if ref == "ClusterArns" {
						return clusterARNs
					}
					return p["Default"]
				}
				resources, _ := template.(map[string]any)["Resources"].(map[string]any)
				if _, ok := resources[ref]; !ok {
					t.Errorf("Ref %q names neither a parameter nor a resource", ref)
				}
				return "https://sqs.us-east-1.amazonaws.com/123456789012/" + ref
			},
			"Fn::GetAtt": func(name string, input, template any) any {
				args, _ := input.([]any)
				if len(args) != 2 || args[1] != "Arn" {
					t.Errorf("GetAtt %v: only Arn is used", input)
					return nil
				}
				resources, _ := template.(map[string]any)["Resources"].(map[string]any)
				if _, ok := resources[args[0].(string)]; !ok {
					t.Errorf("GetAtt names no resource %v", args[0])
				}
				return "arn:aws:placeholder:us-east-1:123456789012:" + args[0].(string)
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// The template is checked against the CloudFormation resource
// specification (goformation's JSON schema generated from it, pinned by
// the module version): every resource type and property exists, has the
// type the specification gives, and every required property is there.
func TestTemplateMeetsTheResourceSpecification(t *testing.T) {
	result, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema.CloudformationSchema), gojsonschema.NewBytesLoader(resolved(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range result.Errors() {
		t.Errorf("%s: %s", e.Field(), e.Description())
	}
	if _, err := goformation.ParseYAML(awstemplate.Template()); err != nil {
		t.Fatalf("goformation cannot read the template: %v", err)
	}
}

// A property the specification lacks, a value of the wrong type and a
// missing required property fail the schema: the check above is able to
// fail.
func TestTheSpecificationCheckRefusesBrokenTemplates(t *testing.T) {
	good := string(resolved(t))
	for name, broken := range map[string]string{
		"unknown property": strings.Replace(good, `"VisibilityTimeout": 60`, `"VisibilityTimeout": 60, "VisibilityTimeoutSeconds": 60`, 1),
		"wrong type":       strings.Replace(good, `"VisibilityTimeout": 60`, `"VisibilityTimeout": "a minute"`, 1),
		"unknown type":     strings.Replace(good, `"AWS::SQS::QueuePolicy"`, `"AWS::SQS::QueuePolicies"`, 1),
		"no target id":     strings.Replace(good, `"Id": "ecswin-events"`, `"Idx": "ecswin-events"`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			if broken == good {
				t.Fatal("the replacement did not apply")
			}
			result, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema.CloudformationSchema), gojsonschema.NewStringLoader(broken))
			if err != nil {
				t.Fatal(err)
			}
			if result.Valid() {
				t.Fatal("the schema accepted it")
			}
		})
	}
}

func parsed(t *testing.T) *cloudformation.Template {
	t.Helper()
	tpl, err := goformation.ParseJSONWithOptions(resolved(t), &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// The queue is what the code reads: a 20-second long poll on every
// receive, a visibility timeout longer than a poll's work, and a name
// that config/iam's ecswin-* resource covers.
func TestQueueFitsTheConsumer(t *testing.T) {
	q, err := parsed(t).GetSQSQueueWithName("Queue")
	if err != nil {
		t.Fatal(err)
	}
	if q.ReceiveMessageWaitTimeSeconds == nil || *q.ReceiveMessageWaitTimeSeconds != events.WaitTimeSeconds {
		t.Errorf("ReceiveMessageWaitTimeSeconds %v, want the consumer's %d", q.ReceiveMessageWaitTimeSeconds, events.WaitTimeSeconds)
	}
	if q.VisibilityTimeout == nil || *q.VisibilityTimeout < 30 {
		t.Errorf("VisibilityTimeout %v: a message must stay invisible while a poll handles it", q.VisibilityTimeout)
	}
	if q.SqsManagedSseEnabled == nil || !*q.SqsManagedSseEnabled || q.KmsMasterKeyId != nil {
		t.Error("the queue must be encrypted with SQS-managed keys, which EventBridge can write without KMS grants")
	}
	var doc struct {
		Parameters map[string]struct {
			Default, AllowedPattern string
		}
	}
	if err := json.Unmarshal(resolved(t), &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Parameters["QueueName"]
	re := regexp.MustCompile(p.AllowedPattern)
	if !re.MatchString(p.Default) || re.MatchString("other-queue") || !strings.HasPrefix(p.AllowedPattern, "^ecswin-") {
		t.Errorf("QueueName pattern %q must allow only ecswin-* names (config/iam) and its default %q", p.AllowedPattern, p.Default)
	}
	if !regexp.MustCompile(doc.Parameters["DocumentPrefix"].AllowedPattern).MatchString(doc.Parameters["DocumentPrefix"].Default) {
		t.Error("the DocumentPrefix default breaks its own pattern")
	}
}

// The rules route exactly the event types the code reads, scoped to the
// policy's clusters (and ecswin's documents), to the queue; the queue
// policy lets EventBridge send for exactly these rules.
func TestRulesAndQueuePolicyFitTheCode(t *testing.T) {
	tpl := parsed(t)
	var routed []string
	var ruleARNs []string
	for name, r := range tpl.GetAllEventsRuleResources() {
		if r.State == nil || *r.State != "ENABLED" || len(r.Targets) != 1 || r.Targets[0].Arn != "arn:aws:placeholder:us-east-1:123456789012:Queue" {
			t.Errorf("rule %s: enabled with the queue as its one target: %+v", name, r)
		}
		if id := r.Targets[0].Id; !regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`).MatchString(id) {
			t.Errorf("rule %s: target id %q is not one EventBridge takes", name, id)
		}
		pattern, _ := json.Marshal(r.EventPattern)
		if _, err := eventbus.Compile(pattern); err != nil {
			t.Errorf("rule %s: %v", name, err)
		}
		var p struct {
			Source     []string       `json:"source"`
			DetailType []string       `json:"detail-type"`
			Detail     map[string]any `json:"detail"`
		}
		if err := json.Unmarshal(pattern, &p); err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Source {
			for _, d := range p.DetailType {
				routed = append(routed, s+"/"+d)
			}
		}
		switch p.Source[0] {
		case events.SourceECS:
			if fmt.Sprint(p.Detail["clusterArn"]) != fmt.Sprint(clusterARNs) {
				t.Errorf("rule %s is not scoped to the ClusterArns parameter: %v", name, p.Detail["clusterArn"])
			}
		case events.SourceSSM:
			if !strings.Contains(string(pattern), `"prefix":"ecswin-"`) {
				t.Errorf("rule %s is not scoped to ecswin's documents: %s", name, pattern)
			}
		}
		ruleARNs = append(ruleARNs, "arn:aws:placeholder:us-east-1:123456789012:"+name)
	}
	var read []string
	for s, ds := range events.DetailTypes {
		for _, d := range ds {
			read = append(read, s+"/"+d)
		}
	}
	sort.Strings(routed)
	sort.Strings(read)
	if !slices.Equal(routed, read) {
		t.Errorf("the rules route\n  %v\nthe code reads\n  %v", routed, read)
	}

	qp, err := tpl.GetSQSQueuePolicyWithName("QueuePolicy")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(qp.PolicyDocument)
	var policy struct {
		Statement []struct {
			Sid, Effect string
			Principal   any
			Action      any
			Resource    any
			Condition   map[string]map[string]any
		}
	}
	if err := json.Unmarshal(raw, &policy); err != nil {
		t.Fatal(err)
	}
	allow := policy.Statement[0]
	sources := allow.Condition["ArnEquals"]["aws:SourceArn"]
	var got []string
	for _, s := range sources.([]any) {
		got = append(got, s.(string))
	}
	sort.Strings(got)
	sort.Strings(ruleARNs)
	if allow.Effect != "Allow" || fmt.Sprint(allow.Principal) != "map[Service:events.amazonaws.com]" || allow.Action != "sqs:SendMessage" ||
		allow.Resource != "arn:aws:placeholder:us-east-1:123456789012:Queue" || !slices.Equal(got, ruleARNs) {
		t.Errorf("the queue policy must let EventBridge send for this stack's rules only: %+v", allow)
	}
	if len(qp.Queues) != 1 || !strings.HasSuffix(qp.Queues[0], "/Queue") {
		t.Errorf("the queue policy is for %v", qp.Queues)
	}
}

// config/iam's SQS statement names what the code calls on the queue.
func TestIAMPolicyConsumesTheTemplatesQueue(t *testing.T) {
	for _, file := range []string{"../iam/controller-policy.json", "../iam/controller-dryrun-policy.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Statement []struct{ Action, Resource any }
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range p.Statement {
			b, _ := json.Marshal(s.Action)
			if !strings.Contains(string(b), "sqs:") {
				continue
			}
			found = true
			if s.Resource != "arn:PARTITION:sqs:REGION:ACCOUNT_ID:ecswin-*" {
				t.Errorf("%s: SQS on %v, want the template's ecswin-* queues", file, s.Resource)
			}
		}
		if !found {
			t.Errorf("%s grants nothing on the event queue", file)
		}
	}
	name, _, err := awstemplate.Queue(awstemplate.Parameters{})
	if err != nil || !strings.HasPrefix(name, "ecswin-") {
		t.Fatalf("queue name %q %v", name, err)
	}
}
