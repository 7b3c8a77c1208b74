package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bounded"
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

// stderrMarker is where SSM appends a plugin's stderr to its stdout in
// the combined Output of ListCommandInvocations.
const stderrMarker = "----------ERROR-------"

// Reading is what one poll read about one command.
type Reading struct {
	Command Command
	// Listed: SSM listed the command's invocations.
	Listed bool
	// Invocations are the command's hosts that SSM listed and whose end
	// was not read before (Command.Ended), with their whole output.
	Invocations []Invocation
	// Unread are listed hosts whose whole output could not be read this
	// time; they stay in flight.
	Unread []string
	// Gone: SSM no longer knows the command.
	Gone bool
	// Err is why the command, or some of its hosts, could not be read.
	Err error
}

// Read lists the invocations of each command once, with Details=true (one
// call per command is the least that tells each host's status, and the
// details carry the report of every finished host in the same answer,
// where Details=false would need a second call for each), and reads the
// whole output of every finished host whose output the listing cut.
// Up to parallelism commands are read at once; the readings come back in
// the commands' order, and the error joins their errors.
func Read(ctx context.Context, api awsapi.SSMAPI, cmds []Command, parallelism int) ([]Reading, error) {
	readings, _ := bounded.Map(ctx, parallelism, cmds, func(ctx context.Context, cmd Command) (Reading, error) {
		return readCommand(ctx, api, cmd), nil
	})
	errs := make([]error, 0, len(readings))
	for _, r := range readings {
		errs = append(errs, r.Err)
	}
	return readings, errors.Join(errs...)
}

func readCommand(ctx context.Context, api awsapi.SSMAPI, cmd Command) Reading {
	r := Reading{Command: cmd}
	seen := map[string]bool{}
	var errs []error
	pages := ssm.NewListCommandInvocationsPaginator(api, &ssm.ListCommandInvocationsInput{
		CommandId:  aws.String(cmd.ID),
		Details:    true,
		MaxResults: aws.Int32(InvocationsPage),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			// Not yet visible right after sending, or a transient error:
			// the hosts stay in flight and the next pass asks again.
			r.Gone = awsapi.IsKind(err, awsapi.KindNotFound)
			r.Err = fmt.Errorf("listing invocations of command %s: %w", cmd.ID, err)
			return r
		}
		r.Listed = true
		for _, listed := range page.CommandInvocations {
			id := aws.ToString(listed.InstanceId)
			if id == "" || seen[id] || cmd.Ended[id] || !slices.Contains(cmd.InstanceIDs, id) {
				continue
			}
			seen[id] = true
			inv := invocationOf(cmd.ID, listed)
			if needsWholeOutput(inv) {
				if err := readWholeOutput(ctx, api, &inv); err != nil {
					errs = append(errs, err)
					r.Unread = append(r.Unread, id)
					continue
				}
			}
			r.Invocations = append(r.Invocations, inv)
		}
	}
	r.Err = errors.Join(errs...)
	return r
}

// invocationOf keeps what Classify reads of a listed invocation.
func invocationOf(commandID string, listed ssmtypes.CommandInvocation) Invocation {
	inv := Invocation{
		CommandID:     commandID,
		InstanceID:    strings.Clone(aws.ToString(listed.InstanceId)),
		Status:        listed.Status,
		StatusDetails: aws.ToString(listed.StatusDetails),
		ExitCode:      NoExitCode,
	}
	for _, p := range listed.CommandPlugins {
		if p.Output != nil {
			stdout, _, _ := strings.Cut(*p.Output, stderrMarker)
			inv.Output, inv.ExitCode = strings.Clone(stdout), p.ResponseCode
			if p.ResponseFinishDateTime != nil {
				inv.Finished = *p.ResponseFinishDateTime
			}
			break
		}
	}
	return inv
}

// needsWholeOutput: a finished run whose report the listing may have cut.
func needsWholeOutput(inv Invocation) bool {
	switch inv.Status {
	case ssmtypes.CommandInvocationStatusSuccess, ssmtypes.CommandInvocationStatusFailed:
		return len(inv.Output) >= DetailsOutputCut-100
	}
	return false
}

func readWholeOutput(ctx context.Context, api awsapi.SSMAPI, inv *Invocation) error {
	full, err := api.GetCommandInvocation(ctx, &ssm.GetCommandInvocationInput{CommandId: aws.String(inv.CommandID), InstanceId: aws.String(inv.InstanceID)})
	if err != nil {
		return fmt.Errorf("reading output of command %s on %s: %w", inv.CommandID, inv.InstanceID, err)
	}
	inv.Output, inv.ExitCode = aws.ToString(full.StandardOutputContent), full.ResponseCode
	return nil
}

// Outcomes are the ends that r shows at now, and whether the command has
// ended on every host. Hosts that SSM never listed, or whose runs still
// go on, once the command's GiveUpAt has passed, are lost; so are all of
// them when SSM no longer knows the command by then.
func (r Reading) Outcomes(now time.Time) (outs []Outcome, finished bool) {
	cmd := r.Command
	if r.Gone && now.After(cmd.GiveUpAt) {
		return lostAll(cmd, now, "SSM no longer knows the command"), true
	}
	if !r.Listed {
		return nil, false
	}
	outs = r.Ended(now)
	ended := make(map[string]bool, len(outs))
	listed := make(map[string]bool, len(r.Invocations))
	for _, o := range outs {
		ended[o.InstanceID] = true
	}
	for _, inv := range r.Invocations {
		listed[inv.InstanceID] = true
	}
	running := 0
	for _, id := range cmd.InstanceIDs {
		switch {
		case ended[id] || cmd.Ended[id]:
		case slices.Contains(r.Unread, id):
			running++
		case now.After(cmd.GiveUpAt):
			why := "SSM showed no invocation for this host before the command's timeouts passed"
			if listed[id] {
				why = "the run did not finish within the command's timeouts"
			}
			outs = append(outs, Outcome{InstanceID: id, CommandID: cmd.ID, Result: ResultLost, Message: why, Took: now.Sub(cmd.SentAt)})
		default:
			running++
		}
	}
	return outs, running == 0
}

// Ended are the outcomes of the listed invocations that have ended,
// timed on SSM's clock where it gave both ends.
func (r Reading) Ended(now time.Time) []Outcome {
	var outs []Outcome
	for _, inv := range r.Invocations {
		o, ended := Classify(inv, now)
		if !ended {
			continue
		}
		o.Took = now.Sub(r.Command.SentAt)
		if !inv.Finished.IsZero() && !r.Command.RequestedAt.IsZero() && inv.Finished.After(r.Command.RequestedAt) {
			o.Took = inv.Finished.Sub(r.Command.RequestedAt)
		}
		outs = append(outs, o)
	}
	return outs
}

func lostAll(cmd Command, now time.Time, why string) []Outcome {
	outs := make([]Outcome, 0, len(cmd.InstanceIDs))
	for _, id := range cmd.InstanceIDs {
		if !cmd.Ended[id] {
			outs = append(outs, Outcome{InstanceID: id, CommandID: cmd.ID, Result: ResultLost, Message: why, Took: now.Sub(cmd.SentAt)})
		}
	}
	return outs
}
