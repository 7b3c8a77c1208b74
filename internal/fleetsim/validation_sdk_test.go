package fleetsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// Class "validation order and codes": what breaks the model is answered
// with the model's code before any service logic looks at the request,
// even when the service logic would also refuse it.
func TestModelViolationsAreAnsweredBeforeServiceLogic(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	id := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	requireAPIErrors(t, map[string]apiErrorCase{
		"command ID of the wrong length (not InvocationDoesNotExist)": {func() error {
			_, err := e.ssm.GetCommandInvocation(ctx(t), &ssm.GetCommandInvocationInput{CommandId: aws.String("nope"), InstanceId: aws.String(id)})
			return err
		}, "ValidationException"},
		"instance ID off the pattern (not InvalidInstanceId)": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: []string{"host-1"}})
			return err
		}, "ValidationException"},
		"document name too short (not InvalidDocument)": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String("ab"), InstanceIds: []string{id}})
			return err
		}, "ValidationException"},
		"list commands with a short ID (not InvalidCommandId)": {func() error {
			_, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{CommandId: aws.String("abc")})
			return err
		}, "ValidationException"},
		"document version off the pattern (not InvalidDocumentVersion)": {func() error {
			_, err := e.ssm.DescribeDocument(ctx(t), &ssm.DescribeDocumentInput{Name: aws.String(docName), DocumentVersion: aws.String("first")})
			return err
		}, "ValidationException"},
		"empty document content (not InvalidDocumentContent)": {func() error {
			_, err := e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{Name: aws.String("empty-doc"), Content: aws.String("")})
			return err
		}, "ValidationException"},
		"a plugin name too short (not InvalidPluginName)": {func() error {
			_, err := e.ssm.GetCommandInvocation(ctx(t), &ssm.GetCommandInvocationInput{
				CommandId: aws.String("00000000-0000-4000-8000-000000000000"), InstanceId: aws.String(id), PluginName: aws.String("x")})
			return err
		}, "ValidationException"},
		"a page too small, an unknown cluster (not ClusterNotFoundException)": {func() error {
			_, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String("nope"), MaxResults: aws.Int32(0)})
			return err
		}, "InvalidParameterException"},
		"eleven services, an unknown cluster (not ClusterNotFoundException)": {func() error {
			_, err := e.ecs.DescribeServices(ctx(t), &ecs.DescribeServicesInput{Cluster: aws.String("nope"), Services: strings.Split("a b c d e f g h i j k", " ")})
			return err
		}, "InvalidParameterException"},
		"an enum value ECS does not have": {func() error {
			_, err := e.ecs.ListContainerInstances(ctx(t), &ecs.ListContainerInstancesInput{Cluster: aws.String("windows"), Status: "PAUSED"})
			return err
		}, "InvalidParameterException"},
	})

	_, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{CommandId: aws.String("abc"), MaxResults: aws.Int32(99)})
	if err == nil || !strings.Contains(err.Error(), "2 validation errors detected") ||
		!strings.Contains(err.Error(), "Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36") ||
		!strings.Contains(err.Error(), "Value '99' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50") {
		t.Fatalf("got %v, want both violations named the way SSM names them", err)
	}
}

// post sends a raw JSON 1.1 request, for what the SDK would not send.
func post(t *testing.T, e *env, target, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, *e.ecs.Options().BaseEndpoint, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer is not JSON: %s", raw)
	}
	return resp.StatusCode, out
}

// Class "validation order and codes", the missing X-Amz-Target: a JSON
// service answers it as an unknown operation, not with a Query code.
func TestMissingTargetIsAnUnknownOperation(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	status, out := post(t, e, "", `{}`)
	if status != http.StatusBadRequest || out["__type"] != "com.amazon.coral.service#UnknownOperationException" {
		t.Fatalf("got %d %v", status, out)
	}
}

// Class "member names": members are matched exactly, as AWS matches
// them; a member in the wrong case is ignored like any unknown member.
func TestMemberNamesAreMatchedExactly(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	const ecsTarget = "AmazonEC2ContainerServiceV20141113.ListContainerInstances"
	status, out := post(t, e, ecsTarget, `{"Cluster":"windows"}`)
	if status != http.StatusBadRequest || out["__type"] != "com.amazonaws.ecs#ClusterNotFoundException" {
		t.Fatalf(`{"Cluster":"windows"}: got %d %v, want the member ignored (so the default cluster, which does not exist)`, status, out)
	}
	status, out = post(t, e, ecsTarget, `{"cluster":"windows","surprise":{"nested":[1]},"maxresults":1}`)
	if arns, _ := out["containerInstanceArns"].([]any); status != http.StatusOK || len(arns) != 10 {
		t.Fatalf("unknown members: got %d %v, want them ignored (maxresults too: all 10 instances)", status, out)
	}
	id := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	status, out = post(t, e, "AmazonSSM.GetCommandInvocation", `{"commandId":"00000000-0000-4000-8000-000000000000","InstanceId":"`+id+`"}`)
	if msg, _ := out["Message"].(string); status != http.StatusBadRequest || out["__type"] != "com.amazonaws.ssm#ValidationException" ||
		!strings.Contains(msg, "Value null at 'commandId' failed to satisfy constraint: Member must not be null") {
		t.Fatalf("commandId: got %d %v, want CommandId missing", status, out)
	}
}

// Class "validation order and codes", JSON types: a member of the wrong
// JSON type is a SerializationException, as AWS answers it.
func TestWrongJSONTypesAreSerializationExceptions(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	for name, tc := range map[string]struct{ target, body string }{
		"string for an integer": {"AmazonEC2ContainerServiceV20141113.ListTasks", `{"cluster":"windows","maxResults":"10"}`},
		"string for a list":     {"AmazonSSM.SendCommand", `{"DocumentName":"AWS-RunShellScript","InstanceIds":"i-0123456789abcdef0"}`},
		"number for a string":   {"AmazonSSM.DescribeDocument", `{"Name":42}`},
	} {
		t.Run(name, func(t *testing.T) {
			status, out := post(t, e, tc.target, tc.body)
			if status != http.StatusBadRequest || !strings.HasSuffix(out["__type"].(string), "#SerializationException") {
				t.Fatalf("got %d %v", status, out)
			}
		})
	}
}

// Class "documented behaviour": a repeated instance ID is the model's
// DuplicateInstanceId, in SendCommand and CancelCommand.
func TestRepeatedInstanceIDsAreDuplicateInstanceID(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:2]
	cmdID := send(t, e, ids, bootstrapParams(true))
	requireAPIErrors(t, map[string]apiErrorCase{
		"send": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: []string{ids[0], ids[1], ids[0]}, Parameters: bootstrapParams(true)})
			return err
		}, "DuplicateInstanceId"},
		"cancel": {func() error {
			_, err := e.ssm.CancelCommand(ctx(t), &ssm.CancelCommandInput{CommandId: aws.String(cmdID), InstanceIds: []string{ids[1], ids[1]}})
			return err
		}, "DuplicateInstanceId"},
		"both InstanceIds and Targets": {func() error {
			_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{DocumentName: aws.String(docName), InstanceIds: ids[:1], Parameters: bootstrapParams(true),
				Targets: []ssmtypes.Target{{Key: aws.String("tag:Name"), Values: []string{"x"}}}})
			return err
		}, "ValidationException"},
	})
}
