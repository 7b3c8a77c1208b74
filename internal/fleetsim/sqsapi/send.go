package sqsapi

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// maxAttributes is how many message attributes a message may carry.
const maxAttributes = 10

func (a *API) sendMessage(_ context.Context, in *sendMessageInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	return a.send(q, in.sendFields)
}

func (a *API) sendMessageBatch(_ context.Context, in *sendMessageBatchInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	total := 0
	for i, e := range in.Entries {
		ids[i] = e.ID
		total += len(e.MessageBody)
	}
	if err := checkBatch(ids); err != nil {
		return nil, err
	}
	if max := q.number(AttrMaxSize); total > max {
		return nil, wire.ClientErr(CodeBatchRequestTooLong, "Batch requests cannot be longer than %d bytes. You have sent %d bytes.", max, total)
	}
	out := sendMessageBatchOutput{Successful: []sendBatchResult{}, Failed: []batchError{}}
	for _, e := range in.Entries {
		r, err := a.send(q, e.sendFields)
		if err != nil {
			out.Failed = append(out.Failed, entryError(e.ID, err))
			continue
		}
		out.Successful = append(out.Successful, sendBatchResult{ID: e.ID, sendResult: r})
	}
	return out, nil
}

// send checks one message as SQS does and enqueues it.
func (a *API) send(q *Queue, f sendFields) (sendResult, error) {
	if err := checkBody(f.MessageBody, q.number(AttrMaxSize)); err != nil {
		return sendResult{}, err
	}
	if err := checkMessageAttributes(f.MessageAttributes); err != nil {
		return sendResult{}, err
	}
	if f.MessageDeduplicationID != "" {
		return sendResult{}, wire.ClientErr(wire.CodeInvalidParameterValue,
			"Value %s for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.", f.MessageDeduplicationID)
	}
	delay := q.seconds(AttrDelay)
	if f.DelaySeconds != nil {
		delay = time.Duration(*f.DelaySeconds) * time.Second
	}
	now := a.Now()
	m := a.enqueue(q, f.MessageBody, now, now.Add(delay))
	m.attrs = f.MessageAttributes
	m.attrsMD5 = attributesMD5(f.MessageAttributes)
	return sendResult{MD5OfMessageBody: m.bodyMD5, MD5OfMessageAttributes: m.attrsMD5, MessageID: m.id}, nil
}

func (a *API) enqueue(q *Queue, body string, sent, visibleAt time.Time) *message {
	m := &message{id: a.ids.UUID(), body: body, bodyMD5: md5Hex([]byte(body)), sent: sent, visibleAt: visibleAt}
	q.messages = append(q.messages, m)
	a.changed(q)
	return m
}

// Deliver puts body into the named queue as sent at sent and receivable
// from visibleAt (EventBridge's delivery), whatever its size or
// characters; false when there is no such queue. Called under the guard.
func (a *API) Deliver(name, body string, sent, visibleAt time.Time) bool {
	q := a.queues[name]
	if q == nil {
		return false
	}
	a.enqueue(q, body, sent, visibleAt)
	return true
}

// checkBody refuses what SQS refuses: a body over the queue's maximum
// size in bytes, or with characters outside XML's (#x9, #xA, #xD,
// #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF).
func checkBody(body string, max int) error {
	if len(body) > max {
		return wire.ClientErr(wire.CodeInvalidParameterValue, "One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", max)
	}
	for i, r := range body {
		ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000
		if r == utf8.RuneError || !ok {
			return wire.ClientErr(CodeInvalidMessage, "Invalid binary character '#x%X' was found in the message body at offset %d; the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", r, i)
		}
	}
	return nil
}

func checkMessageAttributes(attrs map[string]attributeValue) error {
	if len(attrs) > maxAttributes {
		return wire.ClientErr(wire.CodeInvalidParameterValue, "Number of message attributes [%d] exceeds the allowed maximum [%d].", len(attrs), maxAttributes)
	}
	for name, v := range attrs {
		switch {
		case hasPrefix(v.DataType, "String"), hasPrefix(v.DataType, "Number"):
			if v.StringValue == nil {
				return wire.ClientErr(wire.CodeInvalidParameterValue, "Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, v.DataType)
			}
		case hasPrefix(v.DataType, "Binary"):
			if len(v.BinaryValue) == 0 {
				return wire.ClientErr(wire.CodeInvalidParameterValue, "Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, v.DataType)
			}
		default:
			return wire.ClientErr(wire.CodeInvalidParameterValue, "The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
		}
	}
	return nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
