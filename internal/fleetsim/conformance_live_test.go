package fleetsim_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// liveValues are identifiers the simulator knows, so that generated
// inputs name real clusters, instances, tasks, documents and commands
// often enough for operations to succeed, and unknown ones sometimes.
type liveValues struct {
	rng          *rand.Rand
	instanceARNs []string // the windows cluster's
	ec2IDs       []string // its hosts
	taskARNs     []string
	services     []string
	documents    []string // documents that exist
	commands     []sentCommand
	created      int      // documents and contents made so far
	queueURLs    []string // queues that exist: the first is the live one
	extraQueues  []string // queues CreateQueue made, which DeleteQueue may take
	receipts     []string // receipt handles, newest last
	sqsHost      string   // the simulator's host:port
}

type sentCommand struct {
	id        string
	instances []string
}

const (
	conformanceCluster = "windows"
	unknownEC2ID       = "i-0fedcba9876543210"
	unknownUUID        = "00000000-0000-4000-8000-00000000c0de"
)

func gatherLiveValues(t *testing.T, e *env) *liveValues {
	t.Helper()
	createDocument(t, e)
	v := &liveValues{rng: rand.New(rand.NewPCG(9, 11)), documents: []string{docName, "AWS-RunPowerShellScript"}}
	for _, st := range e.sim.HostStates(fleetsim.InstanceFilter{Cluster: conformanceCluster}) {
		v.instanceARNs = append(v.instanceARNs, st.ContainerInstanceARN)
		v.ec2IDs = append(v.ec2IDs, st.InstanceID)
	}
	tasks, err := e.ecs.ListTasks(ctx(t), &ecs.ListTasksInput{Cluster: aws.String(conformanceCluster)})
	if err != nil {
		t.Fatal(err)
	}
	v.taskARNs = tasks.TaskArns
	svcs, err := e.ecs.ListServices(ctx(t), &ecs.ListServicesInput{Cluster: aws.String(conformanceCluster)})
	if err != nil {
		t.Fatal(err)
	}
	v.services = svcs.ServiceArns
	v.gatherQueue(t, e)
	return v
}

// liveQueue is the queue the SQS operations work on, filled with
// messages for the receives, deletes and visibility changes.
const liveQueue = "conformance"

func (v *liveValues) gatherQueue(t *testing.T, e *env) {
	t.Helper()
	url, err := e.sim.CreateQueue(liveQueue, nil)
	if err != nil {
		t.Fatal(err)
	}
	v.queueURLs = []string{url}
	v.sqsHost = strings.TrimPrefix(e.url, "http://")
	for i := range 60 {
		if _, err := e.sqs.SendMessage(ctx(t), &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(fmt.Sprintf("message %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
}

// sqsOps are the operations hinted by sqsHint.
var sqsOps = map[string]bool{}

func init() {
	for _, svc := range apimodel.Served {
		if svc.Name == "sqs" {
			for _, op := range svc.Operations {
				sqsOps[op] = true
			}
		}
	}
}

func (v *liveValues) sqsHint(op, member string) (any, bool) {
	switch member {
	case "QueueUrl":
		switch {
		case op == "DeleteQueue":
			if len(v.extraQueues) > 0 && v.chance(0.8) {
				last := v.extraQueues[len(v.extraQueues)-1]
				v.extraQueues = v.extraQueues[:len(v.extraQueues)-1]
				return last, true
			}
		case v.chance(0.9):
			return v.queueURLs[0], true
		}
		return "http://" + v.sqsHost + "/123456789012/conformance-nope", true
	case "QueueName":
		if op == "CreateQueue" {
			v.created++
			return fmt.Sprintf("conformance-%03d", v.created), true
		}
		return v.pick(liveQueue, liveQueue, "conformance-nope"), true
	case "QueueOwnerAWSAccountId":
		return v.pick("123456789012", "999999999999"), true
	case "QueueNamePrefix":
		return v.pick("", "conformance", "x"), true
	case "ReceiptHandle":
		if len(v.receipts) == 0 || v.chance(0.1) {
			return "not-a-receipt-handle", true
		}
		// Mostly recent handles: their messages are still in flight.
		n := min(len(v.receipts), 8)
		return v.receipts[len(v.receipts)-1-v.rng.IntN(n)], true
	case "MessageBody":
		return v.pick("hello", `{"detail-type":"test"}`, "ünïcode ✓"), true
	case "WaitTimeSeconds", "MessageDeduplicationId", "MessageGroupId", "ReceiveRequestAttemptId", "MessageSystemAttributes":
		// A long poll would wait on the fake clock no one steps during
		// the call; the FIFO members are refused by a standard queue.
		return nil, true
	}
	return nil, false
}

func (v *liveValues) pick(xs ...string) string { return xs[v.rng.IntN(len(xs))] }

func (v *liveValues) chance(p float64) bool { return v.rng.Float64() < p }

// id is the last part of an ARN.
func id(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// include is how often a valid input carries an optional member: the
// cluster nearly always (the default cluster does not exist), and an
// attribute's target (ECS needs one, though the model does not say so);
// anything else now and then.
func (v *liveValues) include(member string) float64 {
	switch member {
	case "cluster", "targetId":
		return 0.9
	}
	return 0.35
}

// hint offers a value for a member ("[]" marks a list's elements); a
// nil value with ok true leaves an optional member out.
func (v *liveValues) hint(op, member string) (any, bool) {
	if sqsOps[op] {
		return v.sqsHint(op, member)
	}
	if h, ok := v.ecsHint(member); ok {
		return h, true
	}
	return v.ssmHint(op, member)
}

func (v *liveValues) ecsHint(member string) (any, bool) {
	switch member {
	case "cluster":
		if v.chance(0.1) {
			return v.pick("linux", "nope"), true
		}
		return v.pick(conformanceCluster, "arn:aws:ecs:us-east-1:123456789012:cluster/windows"), true
	case "clusters[]":
		return v.pick(conformanceCluster, "linux", "nope"), true
	case "containerInstances[]", "containerInstance", "targetId":
		arn := v.pick(v.instanceARNs...)
		if member != "targetId" && v.chance(0.3) {
			return id(arn), true
		}
		return arn, true
	case "tasks[]":
		if v.chance(0.05) {
			return "0123456789abcdef0123456789abcdef", true
		}
		return v.pick(v.taskARNs...), true
	case "services[]", "serviceName":
		arn := v.pick(v.services...)
		if v.chance(0.5) {
			return id(arn), true
		}
		return arn, true
	case "family", "familyPrefix":
		return v.pick("web", "vpc", "port80"), true
	case "taskDefinition":
		return v.pick("web", "web:1", "arn:aws:ecs:us-east-1:123456789012:task-definition/vpc:1", "nope:3"), true
	case "attributeName":
		return v.pick("ecs.os-type", "ecswin.io/conformance"), true
	case "attributeValue":
		return v.pick("windows", "v1"), true
	case "filter":
		return v.pick("attribute:ecs.os-type == windows", "attribute:ecs.capability.task-eni exists"), true
	case "startedBy":
		return nil, true
	}
	return nil, false
}

func (v *liveValues) ssmHint(op, member string) (any, bool) {
	switch member {
	case "name": // an ECS Attribute's
		return v.pick("ecswin.io/conformance", "team"), true
	case "value":
		if op == "PutAttributes" || op == "DeleteAttributes" {
			return "v1", true
		}
	case "InstanceIds[]", "InstanceId":
		if v.chance(0.1) {
			return unknownEC2ID, true
		}
		return v.pick(v.ec2IDs...), true
	case "DocumentName":
		return v.pick("AWS-RunPowerShellScript", docName), true
	case "Name":
		switch op {
		case "CreateDocument":
			v.created++
			return fmt.Sprintf("conformance-%03d", v.created), true
		case "DeleteDocument": // never the documents the other operations use
			if len(v.documents) > 2 && v.chance(0.8) {
				last := v.documents[len(v.documents)-1]
				v.documents = v.documents[:len(v.documents)-1]
				return last, true
			}
			return v.pick("AWS-RunShellScript", "conformance-nope"), true
		}
		return v.pick(v.documents...), true
	case "ResourceType":
		return v.pick("Document", "Document", "Document", "Parameter"), true
	case "ResourceId":
		return v.pick(v.documents...), true
	case "Content":
		v.created++
		return fmt.Sprintf(`{"schemaVersion":"2.2","description":"conformance %d","mainSteps":[{"action":"aws:runPowerShellScript","name":"runScript","inputs":{"runCommand":["Get-Date"]}}]}`, v.created), true
	case "DocumentFormat":
		return v.pick("JSON", "JSON", "YAML", "TEXT"), true
	case "DocumentType":
		return v.pick("Command", "Command", "Command", "Automation"), true
	case "DocumentVersion":
		switch op {
		case "UpdateDocumentDefaultVersion":
			return v.pick("1", "2"), true
		case "UpdateDocument":
			return "$LATEST", true
		}
		return v.pick("$DEFAULT", "$LATEST", "1"), true
	case "CommandId":
		if len(v.commands) == 0 || v.chance(0.1) {
			return unknownUUID, true
		}
		return v.commands[v.rng.IntN(len(v.commands))].id, true
	case "PluginName":
		return v.pick("runPowerShellScript", "runScript"), true
	case "DocumentHash", "DocumentHashType":
		return nil, true
	}
	return nil, false
}

// observe records what a successful call created.
func (v *liveValues) observe(op string, tree any) {
	obj, _ := tree.(map[string]any)
	switch op {
	case "SendCommand":
		cmd, _ := obj["Command"].(map[string]any)
		sc := sentCommand{id: str(cmd["CommandId"])}
		ids, _ := cmd["InstanceIds"].([]any)
		for _, i := range ids {
			sc.instances = append(sc.instances, str(i))
		}
		v.commands = append(v.commands, sc)
	case "CreateDocument":
		desc, _ := obj["DocumentDescription"].(map[string]any)
		v.documents = append(v.documents, str(desc["Name"]))
	case "CreateQueue":
		if u := str(obj["QueueUrl"]); u != v.queueURLs[0] {
			v.extraQueues = append(v.extraQueues, u)
		}
	case "ReceiveMessage":
		msgs, _ := obj["Messages"].([]any)
		for _, m := range msgs {
			v.receipts = append(v.receipts, str(m.(map[string]any)["ReceiptHandle"]))
		}
	}
}

func str(x any) string { s, _ := x.(string); return s }

// fixups make members that depend on each other agree, in valid inputs
// and in broken ones (never touching the member on the broken path).
var fixups = map[string]func(v *liveValues, rng *rand.Rand, in map[string]any, force []string){
	"ssm.SendCommand":          fixSendCommand,
	"ssm.GetCommandInvocation": fixInvocationPair,
	"ssm.CancelCommand":        fixCancel,
	"ssm.ListCommands": func(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
		fixCommandFilters(v, in, force, false)
	},
	"ssm.ListCommandInvocations": func(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
		fixCommandFilters(v, in, force, true)
	},
	"ssm.DescribeInstanceInformation":  fixInfoFilters,
	"sqs.ReceiveMessage":               fixReceive,
	"sqs.CreateQueue":                  fixQueueAttributes,
	"sqs.SetQueueAttributes":           fixQueueAttributes,
	"sqs.SendMessageBatch":             fixBatchIDs,
	"sqs.DeleteMessageBatch":           fixBatchIDs,
	"sqs.ChangeMessageVisibilityBatch": fixBatchIDs,
}

// fixReceive never long-polls (see sqsHint) and keeps visibility
// timeouts short, so the messages come back for the next receives.
func fixReceive(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	if free(force, "WaitTimeSeconds") {
		in["WaitTimeSeconds"] = json.Number("0")
	}
	if _, ok := in["VisibilityTimeout"]; ok && free(force, "VisibilityTimeout") {
		in["VisibilityTimeout"] = json.Number(v.pick("1", "5", "30"))
	}
}

// fixQueueAttributes gives each attribute a value SQS takes for it,
// sometimes one it does not, and never a wait that would make the live
// queue's receives long polls.
func fixQueueAttributes(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	attrs, ok := in["Attributes"].(map[string]any)
	if !ok || !free(force, "Attributes") {
		return
	}
	good := map[string]string{
		"VisibilityTimeout": "20", "MessageRetentionPeriod": "3600", "DelaySeconds": "0", "ReceiveMessageWaitTimeSeconds": "0",
		"MaximumMessageSize": "262144", "SqsManagedSseEnabled": "true", "KmsDataKeyReusePeriodSeconds": "300",
		"Policy": `{"Version":"2012-10-17","Statement":[]}`,
	}
	for k := range attrs {
		if val, ok := good[k]; ok && v.chance(0.8) {
			attrs[k] = val
		}
	}
}

// fixBatchIDs gives batch entries distinct, well-formed ids.
func fixBatchIDs(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	entries, ok := in["Entries"].([]any)
	if !ok || !free(force, "Entries") {
		return
	}
	for i, e := range entries {
		if obj, ok := e.(map[string]any); ok && v.chance(0.9) {
			obj["Id"] = fmt.Sprintf("e%d", i+1)
		}
	}
}

// free tells whether a fixup may set member: it is not where the input
// is broken on purpose.
func free(force []string, member string) bool { return len(force) == 0 || force[0] != member }

func fixSendCommand(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	if free(force, "Parameters") {
		if in["DocumentName"] == docName {
			params := map[string]any{}
			for k, vals := range bootstrapParams(true) {
				params[k] = []any{vals[0]}
			}
			in["Parameters"] = params
		} else {
			in["Parameters"] = map[string]any{"commands": []any{"Get-Date"}}
		}
	}
	_, hasTargets := in["Targets"]
	if _, hasIDs := in["InstanceIds"]; !hasIDs && !hasTargets && free(force, "InstanceIds") && v.chance(0.8) {
		in["InstanceIds"] = []any{v.pick(v.ec2IDs...)} // a command needs one or the other
	}
	if _, both := in["Targets"]; both && in["InstanceIds"] != nil && v.chance(0.7) {
		if free(force, "Targets") {
			delete(in, "Targets")
		} else if free(force, "InstanceIds") {
			delete(in, "InstanceIds")
		}
	}
	if targets, ok := in["Targets"].([]any); ok && free(force, "Targets") {
		for i := range targets {
			switch v.rng.IntN(4) {
			case 0:
				targets[i] = map[string]any{"Key": "InstanceIds", "Values": []any{v.pick(v.ec2IDs...)}}
			case 1:
				targets[i] = map[string]any{"Key": "tag:Name", "Values": []any{"ECS Instance - windows"}}
			case 2:
				targets[i] = map[string]any{"Key": "tag-key", "Values": []any{"Name"}}
			}
		}
	}
}

func fixInvocationPair(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	if !free(force, "CommandId") || !free(force, "InstanceId") {
		return
	}
	var named []sentCommand // commands sent by InstanceIds, whose instances the answer names
	for _, c := range v.commands {
		if len(c.instances) > 0 {
			named = append(named, c)
		}
	}
	if len(named) > 0 && v.chance(0.9) {
		c := named[v.rng.IntN(len(named))]
		in["CommandId"], in["InstanceId"] = c.id, v.pick(c.instances...)
	}
	if free(force, "PluginName") && v.chance(0.5) {
		delete(in, "PluginName") // the step name depends on the command's document
	}
}

func fixCancel(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	if len(v.commands) == 0 || !free(force, "CommandId") || !free(force, "InstanceIds") {
		return
	}
	c := v.commands[v.rng.IntN(len(v.commands))]
	in["CommandId"] = c.id
	if _, ok := in["InstanceIds"]; ok && len(c.instances) > 0 {
		in["InstanceIds"] = []any{c.instances[0]}
	}
}

// fixCommandFilters gives each filter a value its key takes.
func fixCommandFilters(v *liveValues, in map[string]any, force []string, invocations bool) {
	filters, ok := in["Filters"].([]any)
	if !ok || !free(force, "Filters") {
		return
	}
	for i, f := range filters {
		key := str(f.(map[string]any)["key"])
		if key == "ExecutionStage" && invocations {
			key = "Status"
		}
		value := map[string]string{
			"InvokedAfter": "2026-11-30T11:00:00Z", "InvokedBefore": "2026-12-01T00:00:00Z",
			"Status": v.pick("Success", "InProgress", "Failed", "ExecutionTimedOut"), "DocumentName": "AWS-RunPowerShellScript",
			"ExecutionStage": v.pick("Executing", "Complete"),
		}[key]
		filters[i] = map[string]any{"key": key, "value": value}
	}
}

func fixInfoFilters(v *liveValues, _ *rand.Rand, in map[string]any, force []string) {
	_, legacy := in["InstanceInformationFilterList"]
	_, current := in["Filters"]
	if legacy && current && v.chance(0.8) {
		if free(force, "InstanceInformationFilterList") {
			delete(in, "InstanceInformationFilterList")
		} else if free(force, "Filters") {
			delete(in, "Filters")
		}
	}
	if fs, ok := in["Filters"].([]any); ok && free(force, "Filters") {
		for i := range fs {
			key := v.pick("PingStatus", "PlatformType", "InstanceIds", "tag:Name", "ResourceType")
			vals := map[string][]any{
				"PingStatus": {"Online"}, "PlatformType": {"Windows"}, "InstanceIds": {v.pick(v.ec2IDs...)},
				"tag:Name": {"ECS Instance - windows"}, "ResourceType": {"EC2Instance"},
			}[key]
			fs[i] = map[string]any{"Key": key, "Values": vals}
		}
	}
	if fs, ok := in["InstanceInformationFilterList"].([]any); ok && free(force, "InstanceInformationFilterList") {
		for i, f := range fs {
			vals := map[string][]any{
				"InstanceIds": {v.pick(v.ec2IDs...)}, "PingStatus": {"Online"}, "PlatformTypes": {"Windows"},
				"ResourceType": {"EC2Instance"}, "AgentVersion": {"3.3.1142.0"},
			}[str(f.(map[string]any)["key"])]
			if vals == nil {
				vals = []any{"none"}
			}
			fs[i] = map[string]any{"key": str(f.(map[string]any)["key"]), "valueSet": vals}
		}
	}
}
