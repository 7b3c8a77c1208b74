package remediate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// invocationOutcome turns one invocation into an outcome; ended is false
// while it still runs.
func invocationOutcome(ctx context.Context, api awsapi.SSMAPI, cmd Command, inv ssmtypes.CommandInvocation, now time.Time) (Outcome, bool, error) {
	id := aws.ToString(inv.InstanceId)
	out := Outcome{InstanceID: id, CommandID: cmd.ID, Took: now.Sub(cmd.SentAt)}
	details := aws.ToString(inv.StatusDetails)
	// The finer cause decides first: SSM reports Undeliverable and
	// Terminated with more than one Status.
	switch details {
	case "Undeliverable":
		out.Result, out.Message = ResultUndeliverable, "SSM could not deliver the command: the SSM agent was offline or the instance stopped"
		return out, true, nil
	case "Terminated":
		out.Result, out.Message = ResultCancelled, "SSM stopped the run because the command reached its MaxErrors; it is retried later"
		return out, true, nil
	case "Delivery Timed Out", "Execution Timed Out":
		out.Result, out.Message = ResultTimedOut, timedOutMessage(details)
		return out, true, nil
	}
	switch inv.Status {
	case ssmtypes.CommandInvocationStatusSuccess, ssmtypes.CommandInvocationStatusFailed:
	case ssmtypes.CommandInvocationStatusTimedOut:
		out.Result, out.Message = ResultTimedOut, timedOutMessage(details)
		return out, true, nil
	case ssmtypes.CommandInvocationStatusCancelled:
		out.Result, out.Message = ResultCancelled, "the run was cancelled ("+orUnknown(details)+"); it is retried later"
		return out, true, nil
	default: // Pending, InProgress, Delayed, Cancelling, or no status yet
		return out, false, nil
	}
	// Both ends on SSM's clock when it gave them.
	if fin := pluginFinish(inv); !fin.IsZero() && !cmd.RequestedAt.IsZero() && fin.After(cmd.RequestedAt) {
		out.Took = fin.Sub(cmd.RequestedAt)
	}
	stdout, code := pluginOutput(inv)
	if len(stdout) >= DetailsOutputCut-100 {
		full, err := api.GetCommandInvocation(ctx, &ssm.GetCommandInvocationInput{CommandId: aws.String(cmd.ID), InstanceId: aws.String(id)})
		if err != nil {
			return out, false, fmt.Errorf("reading output of command %s on %s: %w", cmd.ID, id, err)
		}
		stdout, code = aws.ToString(full.StandardOutputContent), full.ResponseCode
	}
	if c, ok := classifyExit(code); ok {
		out.Result, out.Reason, out.Message = c.result, c.reason, c.message
		return out, true, nil
	}
	if strings.TrimSpace(stdout) == "" && inv.Status == ssmtypes.CommandInvocationStatusFailed {
		out.Result = ResultFailed
		out.Message = fmt.Sprintf("the run failed with exit code %d and printed nothing: look at the command's output in the SSM console", code)
		return out, true, nil
	}
	if msg, ok := reportError([]byte(stdout)); ok {
		out.Result, out.Message = ResultFailed, msg
		return out, true, nil
	}
	// An unreadable report is this host's outcome, not an error of the
	// poll: the rest of the command's hosts go on.
	if rep, readErr := ReadReport([]byte(stdout), id, now); readErr == nil {
		out.Result, out.Report = ResultReport, rep
	} else {
		out.Result = ResultUnreadable
		out.Message = "the host's route-bootstrap report could not be read (" + readErr.Error() + "): check that spec.remediation.bootstrap points at a matching route-bootstrap release"
	}
	return out, true, nil
}

// stderrMarker is where SSM appends a plugin's stderr to its stdout in
// the combined Output of ListCommandInvocations.
const stderrMarker = "----------ERROR-------"

// pluginOutput is the stdout part of the plugin's combined output, and
// its exit code.
func pluginOutput(inv ssmtypes.CommandInvocation) (string, int32) {
	for _, p := range inv.CommandPlugins {
		if p.Output != nil {
			stdout, _, _ := strings.Cut(*p.Output, stderrMarker)
			return stdout, p.ResponseCode
		}
	}
	return "", -1
}

func pluginFinish(inv ssmtypes.CommandInvocation) time.Time {
	for _, p := range inv.CommandPlugins {
		if p.ResponseFinishDateTime != nil {
			return *p.ResponseFinishDateTime
		}
	}
	return time.Time{}
}

func timedOutMessage(details string) string {
	if details == "Delivery Timed Out" {
		return "SSM could not start the run before its delivery timeout: the host's SSM agent may be busy or offline"
	}
	return "route-bootstrap did not finish within spec.remediation.commandTimeout (" + orUnknown(details) + "): raise it or look at the host"
}

func orUnknown(s string) string {
	if s == "" {
		return "no details"
	}
	return s
}
