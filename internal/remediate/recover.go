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
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// ListCommandsPage is the most commands one ListCommands page holds.
const ListCommandsPage = 50

// History is what SSM remembers of the document's commands sent after
// some time: those still pending or running, and those that ended.
type History struct {
	Running []Command
	// Finished are the commands that ended, newest first; their
	// invocations hold each host's last report (Read them).
	Finished []Command
}

// Recover asks SSM for the commands of the document sent after since, so
// that a restarted engine sends no second command to the hosts of those
// still running, and knows from those that ended when each host last ran
// and what it said. It must succeed before anything is sent.
func Recover(ctx context.Context, api awsapi.SSMAPI, document string, since, now time.Time) (History, error) {
	pages := ssm.NewListCommandsPaginator(api, &ssm.ListCommandsInput{
		Filters: []ssmtypes.CommandFilter{
			{Key: ssmtypes.CommandFilterKeyDocumentName, Value: aws.String(document)},
			{Key: ssmtypes.CommandFilterKeyInvokedAfter, Value: aws.String(ssmTime(since))},
		},
		MaxResults: aws.Int32(ListCommandsPage),
	})
	var h History
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return History{}, fmt.Errorf("listing the SSM commands of document %s: %w", document, err)
		}
		for _, c := range page.Commands {
			if c.CommandId == nil || len(c.InstanceIds) == 0 {
				continue
			}
			cmd := recoveredCommand(c, now)
			switch {
			case commandRunning(c.Status):
				h.Running = append(h.Running, cmd)
			case c.RequestedDateTime != nil:
				h.Finished = append(h.Finished, cmd)
			}
		}
	}
	newestFirst(h.Finished)
	return h, nil
}

func recoveredCommand(c ssmtypes.Command, now time.Time) Command {
	requested := now
	if c.RequestedDateTime != nil {
		requested = *c.RequestedDateTime
	}
	ids := make([]string, len(c.InstanceIds))
	for i, id := range c.InstanceIds {
		ids[i] = strings.Clone(id)
	}
	return Command{
		ID:          strings.Clone(*c.CommandId),
		InstanceIDs: ids,
		SentAt:      now,
		RequestedAt: requested,
		Check:       isTrue(c.Parameters, ssmdoc.ParamCheck),
		RepairProxy: isTrue(c.Parameters, ssmdoc.ParamRepairProxy),
		GiveUpAt:    recoveredGiveUp(c, now),
		Recovered:   true,
	}
}

// newestFirst sorts commands by SSM's request time, newest first, then by
// ID, so that ties come out the same way every time.
func newestFirst(cmds []Command) {
	sortCommands(cmds, func(a, b Command) bool {
		if !a.RequestedAt.Equal(b.RequestedAt) {
			return a.RequestedAt.After(b.RequestedAt)
		}
		return a.ID < b.ID
	})
}

func commandRunning(s ssmtypes.CommandStatus) bool {
	switch s {
	case ssmtypes.CommandStatusPending, ssmtypes.CommandStatusInProgress, ssmtypes.CommandStatusCancelling:
		return true
	}
	return false
}

// isTrue: the command's parameter name is "true".
func isTrue(params map[string][]string, name string) bool {
	v := params[name]
	return len(v) == 1 && v[0] == "true"
}

// recoveredGiveUp is a deadline on our clock for a command whose sending
// we did not see: as if sent now, with the longest run a policy allows.
func recoveredGiveUp(c ssmtypes.Command, now time.Time) time.Time {
	return now.Add(time.Duration(aws.ToInt32(c.TimeoutSeconds))*time.Second + maxExecution + giveUpGrace)
}

// maxExecution is the longest run a policy may ask for (CEL bound on
// spec.remediation.commandTimeout).
const maxExecution = 2 * time.Hour
