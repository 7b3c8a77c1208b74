package sqsapi

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Queue is one standard queue.
type Queue struct {
	Name    string
	ARN     string
	Created time.Time
	// Modified is the last attribute change.
	Modified time.Time
	Tags     map[string]string

	// settable attributes, as SQS stores them (strings)
	attrs map[string]string
	// messages in send order; deleted ones are dropped lazily.
	messages []*message
	// purgedAt is the last PurgeQueue (another within 60 s is refused).
	purgedAt time.Time
	// changed is closed, and replaced, whenever a message may have
	// become receivable: long polls wait on it.
	changed chan struct{}
}

// Queue attribute names and SQS's defaults for those a queue can set.
const (
	AttrVisibilityTimeout = "VisibilityTimeout"
	AttrRetention         = "MessageRetentionPeriod"
	AttrDelay             = "DelaySeconds"
	AttrWait              = "ReceiveMessageWaitTimeSeconds"
	AttrMaxSize           = "MaximumMessageSize"
	AttrPolicy            = "Policy"
	AttrRedrivePolicy     = "RedrivePolicy"
	AttrSSE               = "SqsManagedSseEnabled"
)

// settable are the attributes a standard queue takes, with their
// defaults ("" for none) and bounds (the API reference's).
var settable = map[string]struct {
	def      string
	min, max int
}{
	AttrVisibilityTimeout:          {"30", 0, 43200},
	AttrRetention:                  {"345600", 60, 1209600},
	AttrDelay:                      {"0", 0, 900},
	AttrWait:                       {"0", 0, 20},
	AttrMaxSize:                    {"1048576", 1024, 1048576},
	AttrSSE:                        {"true", -1, -1},
	AttrPolicy:                     {"", -1, -1},
	AttrRedrivePolicy:              {"", -1, -1},
	"RedriveAllowPolicy":           {"", -1, -1},
	"KmsMasterKeyId":               {"", -1, -1},
	"KmsDataKeyReusePeriodSeconds": {"300", 60, 86400},
}

func (a *API) newQueue(name string, now time.Time) *Queue {
	q := &Queue{
		Name: name, ARN: "arn:aws:sqs:" + a.Region + ":" + a.AccountID + ":" + name,
		Created: now, Modified: now, Tags: map[string]string{},
		attrs: map[string]string{}, changed: make(chan struct{}),
	}
	for k, s := range settable {
		if s.def != "" {
			q.attrs[k] = s.def
		}
	}
	return q
}

// checkAttributes refuses attribute values SQS refuses: unknown or
// read-only names, numbers out of bounds, FIFO settings (the simulator
// has standard queues only).
func checkAttributes(attrs map[string]string) error {
	for k, v := range attrs {
		s, ok := settable[k]
		switch {
		case k == "FifoQueue" || k == "ContentBasedDeduplication" || k == "DeduplicationScope" || k == "FifoThroughputLimit":
			if k == "FifoQueue" && v == "false" {
				continue
			}
			return wire.ClientErr(CodeInvalidAttributeValue, "Invalid value for the parameter %s: the simulator serves standard queues only.", k)
		case !ok:
			return wire.ClientErr(wire.CodeInvalidAttributeName, "Unknown Attribute %s.", k)
		case k == AttrSSE:
			if v != "true" && v != "false" {
				return wire.ClientErr(CodeInvalidAttributeValue, "Invalid value for the parameter %s.", k)
			}
		case s.min >= 0:
			n, err := strconv.Atoi(v)
			if err != nil || n < s.min || n > s.max {
				return wire.ClientErr(CodeInvalidAttributeValue, "Invalid value for the parameter %s. Reason: Must be between %d and %d.", k, s.min, s.max)
			}
		}
	}
	return nil
}

func (q *Queue) number(name string) int {
	n, _ := strconv.Atoi(q.attrs[name])
	return n
}

func (q *Queue) seconds(name string) time.Duration {
	return time.Duration(q.number(name)) * time.Second
}

// wake tells every waiting receive that a message may be receivable.
func (q *Queue) wake() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// URL is the queue's URL on the endpoint the client reached (host).
func (a *API) URL(host, name string) string {
	return "http://" + host + "/" + a.AccountID + "/" + name
}

func noQueue() error {
	return wire.ClientErr(CodeQueueDoesNotExist, "The specified queue does not exist or you do not have access to it.")
}

// queue resolves a QueueUrl: its path names the account and the queue
// (its host is whatever endpoint the client used, as AWS accepts the
// regional, legacy and VPC endpoint forms alike).
func (a *API) queue(raw string) (*Queue, error) {
	u, err := url.Parse(raw)
	account, name, ok := "", "", false
	if err == nil && u.Host != "" {
		account, name, ok = strings.Cut(strings.Trim(u.Path, "/"), "/")
	}
	if !ok || strings.Contains(name, "/") {
		return nil, wire.ClientErr(CodeInvalidAddress, "The address %s is not valid for this endpoint.", raw)
	}
	return a.named(account, name)
}

func (a *API) named(account, name string) (*Queue, error) {
	if a.denied[name] {
		return nil, &wire.Error{Status: 403, Code: CodeAccessDenied, Message: "User: arn:aws:sts::" + a.AccountID +
			":assumed-role/ecswin/simulated is not authorized to perform an action on resource: arn:aws:sqs:" + a.Region + ":" + account + ":" + name +
			" because no identity-based policy allows it"}
	}
	q := a.queues[name]
	if account != a.AccountID || q == nil {
		return nil, noQueue()
	}
	return q, nil
}
