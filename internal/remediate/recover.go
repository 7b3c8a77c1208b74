package remediate

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// ListCommandsPage is the most commands one ListCommands page holds.
const ListCommandsPage = 50

// Recover asks SSM which commands of the document, sent after since, are
// still pending or running, so that a restarted engine sends no second
// command to their hosts. It must succeed before anything is sent.
func Recover(ctx context.Context, api awsapi.SSMAPI, document string, since, now time.Time) ([]Command, error) {
	pages := ssm.NewListCommandsPaginator(api, &ssm.ListCommandsInput{
		Filters: []ssmtypes.CommandFilter{
			{Key: ssmtypes.CommandFilterKeyDocumentName, Value: aws.String(document)},
			{Key: ssmtypes.CommandFilterKeyInvokedAfter, Value: aws.String(ssmTime(since))},
		},
		MaxResults: aws.Int32(ListCommandsPage),
	})
	var cmds []Command
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing in-flight SSM commands: %w", err)
		}
		for _, c := range page.Commands {
			if c.CommandId == nil || len(c.InstanceIds) == 0 || !commandRunning(c.Status) {
				continue
			}
			requested := now
			if c.RequestedDateTime != nil {
				requested = *c.RequestedDateTime
			}
			cmds = append(cmds, Command{
				ID:          *c.CommandId,
				InstanceIDs: append([]string(nil), c.InstanceIds...),
				SentAt:      now,
				RequestedAt: requested,
				Check:       isCheck(c.Parameters),
				GiveUpAt:    recoveredGiveUp(c, now),
				Recovered:   true,
			})
		}
	}
	return cmds, nil
}

func commandRunning(s ssmtypes.CommandStatus) bool {
	switch s {
	case ssmtypes.CommandStatusPending, ssmtypes.CommandStatusInProgress, ssmtypes.CommandStatusCancelling:
		return true
	}
	return false
}

func isCheck(params map[string][]string) bool {
	v := params["check"]
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
