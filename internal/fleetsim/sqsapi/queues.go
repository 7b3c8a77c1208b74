package sqsapi

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// recreateAfter is how long a deleted queue's name stays taken, and
// PurgeQueueInProgress lasts: "wait at least 60 seconds".
const recreateAfter = 60 * time.Second

func (a *API) createQueue(ctx context.Context, in *createQueueInput) (any, error) {
	now := a.Now()
	if strings.HasSuffix(in.QueueName, ".fifo") {
		return nil, wire.ClientErr(CodeInvalidAttributeValue, "Invalid value for the parameter FifoQueue: the simulator serves standard queues only.")
	}
	if err := checkAttributes(in.Attributes); err != nil {
		return nil, err
	}
	if a.denied[in.QueueName] {
		_, err := a.named(a.AccountID, in.QueueName)
		return nil, err
	}
	if q := a.queues[in.QueueName]; q != nil {
		for k, v := range in.Attributes {
			if q.attrs[k] != v {
				return nil, wire.ClientErr(CodeQueueNameExists, "A queue already exists with the same name and a different value for attribute %s", k)
			}
		}
		return queueURLOutput{QueueURL: a.URL(wire.RequestHost(ctx), q.Name)}, nil
	}
	if at, ok := a.deleted[in.QueueName]; ok && now.Sub(at) < recreateAfter {
		return nil, wire.ClientErr(CodeQueueDeletedRecently, "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
	}
	q := a.newQueue(in.QueueName, now)
	maps.Copy(q.attrs, in.Attributes)
	maps.Copy(q.Tags, in.Tags)
	a.queues[q.Name] = q
	return queueURLOutput{QueueURL: a.URL(wire.RequestHost(ctx), q.Name)}, nil
}

func (a *API) getQueueURL(ctx context.Context, in *getQueueURLInput) (any, error) {
	account := a.AccountID
	if in.QueueOwnerAWSAccountID != "" {
		account = in.QueueOwnerAWSAccountID
	}
	q, err := a.named(account, in.QueueName)
	if err != nil {
		return nil, err
	}
	return queueURLOutput{QueueURL: a.URL(wire.RequestHost(ctx), q.Name)}, nil
}

func (a *API) listQueues(ctx context.Context, in *listQueuesInput) (any, error) {
	names := slices.Sorted(maps.Keys(a.queues))
	var matching []string
	for _, n := range names {
		if strings.HasPrefix(n, in.QueueNamePrefix) {
			matching = append(matching, n)
		}
	}
	size := 1000
	if in.MaxResults != nil {
		size = int(*in.MaxResults)
	}
	scope := "queues|" + in.QueueNamePrefix
	start := ""
	if in.NextToken != "" {
		key, ok := wire.ParseKeyToken(in.NextToken, scope)
		if !ok {
			return nil, wire.ClientErr(wire.CodeInvalidParameterValue, "Value %s for parameter NextToken is invalid.", in.NextToken)
		}
		start = key
	}
	out := listQueuesOutput{}
	for _, n := range matching {
		if n < start {
			continue
		}
		if len(out.QueueUrls) == size {
			// Only a listing that asked for pages gets a token.
			if in.MaxResults != nil {
				out.NextToken = wire.KeyToken(scope, n)
			}
			break
		}
		out.QueueUrls = append(out.QueueUrls, a.URL(wire.RequestHost(ctx), n))
	}
	return out, nil
}

func (a *API) deleteQueue(_ context.Context, in *queueURLInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	delete(a.queues, q.Name)
	a.deleted[q.Name] = a.Now()
	a.changed(q)
	return empty{}, nil
}

func (a *API) purgeQueue(_ context.Context, in *queueURLInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	if !q.purgedAt.IsZero() && now.Sub(q.purgedAt) < recreateAfter {
		return nil, wire.ClientErr(CodePurgeInProgress, "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.Name)
	}
	q.purgedAt = now
	for _, m := range q.messages {
		m.deleted = true
	}
	q.expire(now)
	return empty{}, nil
}

func (a *API) getQueueAttributes(_ context.Context, in *getQueueAttributesInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	q.expire(now)
	all := map[string]string{}
	maps.Copy(all, q.attrs)
	visible, inFlight, delayed := q.counts(now)
	all["ApproximateNumberOfMessages"] = strconv.Itoa(visible)
	all["ApproximateNumberOfMessagesNotVisible"] = strconv.Itoa(inFlight)
	all["ApproximateNumberOfMessagesDelayed"] = strconv.Itoa(delayed)
	all["CreatedTimestamp"] = strconv.FormatInt(q.Created.Unix(), 10)
	all["LastModifiedTimestamp"] = strconv.FormatInt(q.Modified.Unix(), 10)
	all["QueueArn"] = q.ARN
	out := map[string]string{}
	for _, name := range in.AttributeNames {
		if name == "All" {
			out = all
			break
		}
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return attributesOutput{Attributes: out}, nil
}

func (a *API) setQueueAttributes(_ context.Context, in *setQueueAttributesInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	if err := checkAttributes(in.Attributes); err != nil {
		return nil, err
	}
	for k, v := range in.Attributes {
		if v == "" {
			delete(q.attrs, k)
			continue
		}
		q.attrs[k] = v
	}
	q.Modified = a.Now()
	a.changed(q)
	return empty{}, nil
}
