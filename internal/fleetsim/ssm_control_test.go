package fleetsim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

func TestMaxErrorsStopsSending(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:4]
	if err := e.sim.SetCommandBehavior(ids[0], fleetsim.BehaveFail); err != nil {
		t.Fatal(err)
	}
	out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String(docName), InstanceIds: ids, Parameters: bootstrapParams(false),
		MaxConcurrency: aws.String("1"), MaxErrors: aws.String("0"),
	})
	if err != nil {
		t.Fatal(err)
	}
	cmdID := aws.ToString(out.Command.CommandId)
	e.clock.Step(time.Minute)
	if got := aws.ToString(invocation(t, e, cmdID, ids[0]).StatusDetails); got != "Failed" {
		t.Fatalf("first host: %s", got)
	}
	for _, id := range ids[1:] {
		inv := invocation(t, e, cmdID, id)
		if inv.Status != ssmtypes.CommandInvocationStatusCancelled || aws.ToString(inv.StatusDetails) != "Terminated" || inv.ResponseCode != -1 {
			t.Fatalf("%s after MaxErrors: %s/%s rc %d", id, inv.Status, aws.ToString(inv.StatusDetails), inv.ResponseCode)
		}
		if st, _ := e.sim.HostState(id); st.CommandsRun != 0 {
			t.Fatalf("%s ran a command after MaxErrors was exceeded", id)
		}
	}
	list, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{Filters: []ssmtypes.CommandFilter{
		{Key: ssmtypes.CommandFilterKeyDocumentName, Value: aws.String(docName)},
		{Key: ssmtypes.CommandFilterKeyStatus, Value: aws.String("Failed")},
	}})
	if err != nil || len(list.Commands) != 1 || list.Commands[0].ErrorCount != 1 {
		t.Fatalf("ListCommands Failed: %+v %v", list, err)
	}
}

func TestCancelCommand(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:3]
	cmdID := send(t, e, ids, bootstrapParams(false))
	e.clock.Step(100 * time.Millisecond)
	inFlight, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{Filters: []ssmtypes.CommandFilter{
		{Key: ssmtypes.CommandFilterKeyExecutionStage, Value: aws.String("Executing")},
	}})
	if err != nil || len(inFlight.Commands) != 1 {
		t.Fatalf("executing commands: %+v %v", inFlight, err)
	}
	if _, err := e.ssm.CancelCommand(ctx(t), &ssm.CancelCommandInput{CommandId: aws.String(cmdID), InstanceIds: ids[:1]}); err != nil {
		t.Fatal(err)
	}
	e.clock.Step(10 * time.Second)
	if inv := invocation(t, e, cmdID, ids[0]); inv.Status != ssmtypes.CommandInvocationStatusCancelled || aws.ToString(inv.StatusDetails) != "Cancelled" {
		t.Fatalf("cancelled host: %s/%s", inv.Status, aws.ToString(inv.StatusDetails))
	}
	if inv := invocation(t, e, cmdID, ids[1]); inv.Status != ssmtypes.CommandInvocationStatusSuccess {
		t.Fatalf("other host: %s", inv.Status)
	}
	list, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{CommandId: aws.String(cmdID)})
	// The API reference spells it Cancelled, in Status and StatusDetails alike.
	if err != nil || list.Commands[0].Status != ssmtypes.CommandStatusCancelled || aws.ToString(list.Commands[0].StatusDetails) != "Cancelled" {
		t.Fatalf("command after cancel: %+v %v", list, err)
	}
}

func TestManagedShellDocuments(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	linux := e.sim.Instances(fleetsim.InstanceFilter{Cluster: "linux"})
	windows := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:1]
	out, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunPowerShellScript"), InstanceIds: append(windows, linux[0]),
		Parameters: map[string][]string{"commands": {"Get-NetRoute"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Step(10 * time.Second)
	for _, id := range []string{windows[0], linux[0]} {
		if inv := invocation(t, e, aws.ToString(out.Command.CommandId), id); inv.Status != ssmtypes.CommandInvocationStatusSuccess {
			t.Fatalf("%s: %s", id, inv.Status)
		}
	}
	if inv := invocation(t, e, aws.ToString(out.Command.CommandId), linux[0]); !strings.Contains(aws.ToString(inv.StandardOutputContent), "skipped") {
		t.Fatalf("the Windows-only step should be skipped on Linux: %q", aws.ToString(inv.StandardOutputContent))
	}
}
