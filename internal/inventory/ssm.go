package inventory

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// readSSMPing asks SSM whether the hosts' agents are online, filtering by
// instance ID in batches of 50 (one page each). Paging through every
// managed instance of the account instead would cost as many calls as the
// account has instances/50, Linux and non-ECS hosts included, and could
// not start before the whole Windows inventory is known; batches by ID
// cost exactly ceil(hosts/50) and run alongside the ECS describes.
func (cr *clusterRun) readSSMPing(ctx context.Context, hosts []*Host) {
	byID := make(map[string]*Host, len(hosts))
	ids := make([]string, 0, len(hosts))
	for _, h := range hosts {
		if h.InstanceID != "" {
			byID[h.InstanceID] = h
			ids = append(ids, h.InstanceID)
		}
	}
	for start := 0; start < len(ids); start += SSMInfoBatch {
		batch := ids[start:min(start+SSMInfoBatch, len(ids))]
		if err := cr.pingBatch(ctx, batch, byID); err != nil {
			cr.addFailure(cr.cl.Name, ReasonSSMUnreadable, "reading SSM agent status failed, so those hosts are not sent commands this pass", err, len(batch))
			continue
		}
		for _, id := range batch {
			if byID[id].SSM == SSMUnknown {
				byID[id].SSM = SSMNotManaged
			}
		}
	}
}

func (cr *clusterRun) pingBatch(ctx context.Context, ids []string, byID map[string]*Host) error {
	pages := ssm.NewDescribeInstanceInformationPaginator(cr.c.SSM, &ssm.DescribeInstanceInformationInput{
		Filters:    []ssmtypes.InstanceInformationStringFilter{{Key: aws.String("InstanceIds"), Values: ids}},
		MaxResults: aws.Int32(SSMInfoBatch),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, info := range page.InstanceInformationList {
			h, ok := byID[aws.ToString(info.InstanceId)]
			if !ok {
				continue
			}
			switch info.PingStatus {
			case ssmtypes.PingStatusOnline:
				h.SSM = SSMOnline
			case ssmtypes.PingStatusConnectionLost:
				h.SSM = SSMConnectionLost
			case ssmtypes.PingStatusInactive:
				h.SSM = SSMInactive
			default:
				h.SSM = SSMConnectionLost
			}
		}
	}
	return nil
}
