package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// Sizes of SSM answers.
const (
	// InvocationsPage is the most invocations one ListCommandInvocations
	// page holds; a command has at most SendBatch hosts, so one page.
	InvocationsPage = 50
	// DetailsOutputCut is where ListCommandInvocations cuts plugin output
	// with Details=true; longer reports are read with
	// GetCommandInvocation (24,000 characters).
	DetailsOutputCut = 2500
)

// PollResult is what polling the commands in flight found.
type PollResult struct {
	// Outcomes of hosts whose runs ended.
	Outcomes []Outcome
	// Finished are the commands with no host left running.
	Finished []string
}

// Poll reads the invocations of each command once, with Details=true:
// one call per command is the least that tells each host's status, and
// the details carry the report of every finished host in the same
// answer, where Details=false would need a second call for them. Reports
// cut at 2,500 characters are read whole with GetCommandInvocation.
func Poll(ctx context.Context, api awsapi.SSMAPI, cmds []Command, now time.Time, parallelism int) (PollResult, error) {
	var (
		mu   sync.Mutex
		res  PollResult
		errs []error
		g    errgroup.Group
	)
	g.SetLimit(max(parallelism, 1))
	for _, cmd := range cmds {
		g.Go(func() error {
			outs, done, err := pollCommand(ctx, api, cmd, now)
			mu.Lock()
			defer mu.Unlock()
			res.Outcomes = append(res.Outcomes, outs...)
			if done {
				res.Finished = append(res.Finished, cmd.ID)
			}
			if err != nil {
				errs = append(errs, err)
			}
			return nil
		})
	}
	_ = g.Wait()
	return res, errors.Join(errs...)
}

func pollCommand(ctx context.Context, api awsapi.SSMAPI, cmd Command, now time.Time) ([]Outcome, bool, error) {
	seen := map[string]bool{}
	var outs []Outcome
	pages := ssm.NewListCommandInvocationsPaginator(api, &ssm.ListCommandInvocationsInput{
		CommandId:  aws.String(cmd.ID),
		Details:    true,
		MaxResults: aws.Int32(InvocationsPage),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if awsapi.IsKind(err, awsapi.KindNotFound) && now.After(cmd.GiveUpAt) {
				return lostAll(cmd, now, "SSM no longer knows the command"), true, nil
			}
			// Not yet visible right after sending, or a transient error:
			// the hosts stay in flight and the next pass asks again.
			return nil, false, fmt.Errorf("listing invocations of command %s: %w", cmd.ID, err)
		}
		for _, inv := range page.CommandInvocations {
			id := aws.ToString(inv.InstanceId)
			if id == "" || seen[id] || !slices.Contains(cmd.InstanceIDs, id) {
				continue
			}
			if cmd.Ended[id] {
				seen[id] = true
				continue
			}
			seen[id] = true
			out, ended, err := invocationOutcome(ctx, api, cmd, inv, now)
			if err != nil {
				return outs, false, err
			}
			if ended {
				outs = append(outs, out)
			} else {
				seen[id] = false
			}
		}
	}
	running := 0
	for _, id := range cmd.InstanceIDs {
		if done, listed := seen[id]; done || cmd.Ended[id] {
			continue
		} else if now.After(cmd.GiveUpAt) {
			why := "SSM showed no invocation for this host before the command's timeouts passed"
			if listed {
				why = "the run did not finish within the command's timeouts"
			}
			outs = append(outs, Outcome{InstanceID: id, CommandID: cmd.ID, Result: ResultLost, Message: why, Took: now.Sub(cmd.SentAt)})
			continue
		}
		running++
	}
	return outs, running == 0, nil
}

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
	switch code {
	case ssmdoc.ExitDownloadFailed:
		out.Result, out.Message = ResultFailed, "the host could not download route-bootstrap from spec.remediation.bootstrap.source: check the URL and the instance's network and S3 permissions"
		return out, true, nil
	case ssmdoc.ExitHashMismatch:
		out.Result, out.Message = ResultFailed, "the downloaded route-bootstrap did not match spec.remediation.bootstrap.sha256: fix the digest or the source"
		return out, true, nil
	case ssmdoc.ExitCacheFailed:
		out.Result, out.Message = ResultFailed, "the host could not cache route-bootstrap on disk: check free space and permissions under ProgramData"
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

func lostAll(cmd Command, now time.Time, why string) []Outcome {
	outs := make([]Outcome, len(cmd.InstanceIDs))
	for i, id := range cmd.InstanceIDs {
		outs[i] = Outcome{InstanceID: id, CommandID: cmd.ID, Result: ResultLost, Message: why, Took: now.Sub(cmd.SentAt)}
	}
	return outs
}

func orUnknown(s string) string {
	if s == "" {
		return "no details"
	}
	return s
}
