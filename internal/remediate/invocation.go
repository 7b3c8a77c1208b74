package remediate

import (
	"fmt"
	"strings"
	"time"

	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Invocation is one host's run of a command as SSM shows it: its status,
// and the output and exit code of the document's one step, read whole
// (Read asks GetCommandInvocation when the listing cut the output).
type Invocation struct {
	CommandID     string
	InstanceID    string
	Status        ssmtypes.CommandInvocationStatus
	StatusDetails string
	// Output is the step's standard output, without the standard error
	// SSM appends to it in listings.
	Output string
	// ExitCode is the step's response code; NoExitCode when SSM gave none.
	ExitCode int32
	// Finished is when the step finished, on SSM's clock; zero if unknown.
	Finished time.Time
}

// NoExitCode stands for an invocation without a response code.
const NoExitCode int32 = -1

// Classify says how a run ended from its invocation alone, and false
// while it still runs (Pending, InProgress, Delayed, Cancelling, or no
// status yet). It calls nothing: what SSM said is all it reads. The
// report's At is readAt.
func Classify(inv Invocation, readAt time.Time) (Outcome, bool) {
	out := Outcome{InstanceID: inv.InstanceID, CommandID: inv.CommandID}
	if v, ok := byDetails(inv.StatusDetails); ok {
		out.Result, out.Message = v.result, v.message
		return out, true
	}
	switch inv.Status {
	case ssmtypes.CommandInvocationStatusSuccess, ssmtypes.CommandInvocationStatusFailed:
	case ssmtypes.CommandInvocationStatusTimedOut:
		out.Result, out.Message = ResultTimedOut, timedOutMessage(inv.StatusDetails)
		return out, true
	case ssmtypes.CommandInvocationStatusCancelled:
		out.Result, out.Message = ResultCancelled, "the run was cancelled ("+orUnknown(inv.StatusDetails)+"); it is retried later"
		return out, true
	default:
		return out, false
	}
	if c, ok := classifyExit(inv.ExitCode); ok {
		out.Result, out.Reason, out.Message = c.result, c.reason, c.message
		return out, true
	}
	if strings.TrimSpace(inv.Output) == "" && inv.Status == ssmtypes.CommandInvocationStatusFailed {
		out.Result = ResultFailed
		out.Message = fmt.Sprintf("the run failed with exit code %d and printed nothing: look at the command's output in the SSM console", inv.ExitCode)
		return out, true
	}
	if msg, ok := reportError([]byte(inv.Output)); ok {
		out.Result, out.Message = ResultFailed, msg
		return out, true
	}
	// An unreadable report is this host's outcome, not an error of the
	// poll: the rest of the command's hosts go on.
	if rep, err := ReadReport([]byte(inv.Output), inv.InstanceID, readAt); err == nil {
		out.Result, out.Report = ResultReport, rep
	} else {
		out.Result = ResultUnreadable
		out.Message = "the host's route-bootstrap report could not be read (" + err.Error() + "): check that spec.remediation.bootstrap points at a matching route-bootstrap release"
	}
	return out, true
}

// verdict is what an invocation says by itself, before any output.
type verdict struct {
	result  Result
	message string
}

// byDetails: the finer cause decides first, since SSM reports
// Undeliverable and Terminated under more than one Status.
func byDetails(details string) (verdict, bool) {
	switch details {
	case "Undeliverable":
		return verdict{ResultUndeliverable, "SSM could not deliver the command: the SSM agent was offline or the instance stopped"}, true
	case "Terminated":
		return verdict{ResultCancelled, "SSM stopped the run because the command reached its MaxErrors; it is retried later"}, true
	case "Delivery Timed Out", "Execution Timed Out":
		return verdict{ResultTimedOut, timedOutMessage(details)}, true
	}
	return verdict{}, false
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
