package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"golang.org/x/sync/errgroup"

	"github.com/ecswin/ecswin/internal/awsapi"
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

func lostAll(cmd Command, now time.Time, why string) []Outcome {
	outs := make([]Outcome, len(cmd.InstanceIDs))
	for i, id := range cmd.InstanceIDs {
		outs[i] = Outcome{InstanceID: id, CommandID: cmd.ID, Result: ResultLost, Message: why, Took: now.Sub(cmd.SentAt)}
	}
	return outs
}
