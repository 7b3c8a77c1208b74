package sqsapi

import (
	"context"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func invalidReceipt(handle string) error {
	return wire.ClientErr(CodeReceiptHandleInvalid, "The input receipt handle %q is not a valid receipt handle.", handle)
}

// byReceipt finds the message a handle names. A handle SQS never gave
// out is invalid; one of a message since deleted, or superseded by a
// later receive, names nothing (SQS answers success and "the message
// might not be deleted").
func byReceipt(q *Queue, handle string) (*message, bool, error) {
	id, receive, ok := parseReceipt(q, handle)
	if !ok {
		return nil, false, invalidReceipt(handle)
	}
	m := q.find(id)
	if m == nil || m.receives != receive {
		return nil, false, nil
	}
	return m, true, nil
}

func (a *API) deleteOne(q *Queue, handle string) error {
	m, ok, err := byReceipt(q, handle)
	if ok {
		m.deleted = true
	}
	return err
}

func (a *API) deleteMessage(_ context.Context, in *deleteMessageInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	if err := a.deleteOne(q, in.ReceiptHandle); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (a *API) deleteMessageBatch(_ context.Context, in *deleteMessageBatchInput) (any, error) {
	ids := make([]string, len(in.Entries))
	for i, e := range in.Entries {
		ids[i] = e.ID
	}
	return a.eachEntry(in.QueueURL, ids, func(q *Queue, i int) error { return a.deleteOne(q, in.Entries[i].ReceiptHandle) })
}

// eachEntry runs a batch call: the queue and the batch as a whole are
// checked first, then fn runs for every entry, each entry's failure
// reported on its own.
func (a *API) eachEntry(queueURL string, ids []string, fn func(q *Queue, i int) error) (any, error) {
	q, err := a.queue(queueURL)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(ids); err != nil {
		return nil, err
	}
	out := handleBatchOutput{Successful: []batchIDResult{}, Failed: []batchError{}}
	for i, id := range ids {
		if err := fn(q, i); err != nil {
			out.Failed = append(out.Failed, entryError(id, err))
			continue
		}
		out.Successful = append(out.Successful, batchIDResult{ID: id})
	}
	return out, nil
}

// changeVisibility makes an in-flight message visible again after vt
// from now; one not in flight under this handle is MessageNotInflight.
func (a *API) changeVisibility(q *Queue, handle string, vt int32) error {
	m, ok, err := byReceipt(q, handle)
	if err != nil {
		return err
	}
	now := a.Now()
	if !ok || !m.inFlight(now) {
		return wire.ClientErr(CodeMessageNotInflight, "Message does not exist or is not available for visibility timeout change.")
	}
	m.visibleAt = now.Add(time.Duration(vt) * time.Second)
	a.changed(q)
	return nil
}

func (a *API) changeMessageVisibility(_ context.Context, in *changeVisibilityInput) (any, error) {
	q, err := a.queue(in.QueueURL)
	if err != nil {
		return nil, err
	}
	if err := a.changeVisibility(q, in.ReceiptHandle, *in.VisibilityTimeout); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (a *API) changeMessageVisibilityBatch(_ context.Context, in *changeVisibilityBatchInput) (any, error) {
	ids := make([]string, len(in.Entries))
	for i, e := range in.Entries {
		ids[i] = e.ID
	}
	return a.eachEntry(in.QueueURL, ids, func(q *Queue, i int) error {
		e := in.Entries[i]
		if e.VisibilityTimeout == nil {
			return wire.ClientErr(wire.CodeMissingParameter, "The request must contain the parameter VisibilityTimeout.")
		}
		return a.changeVisibility(q, e.ReceiptHandle, *e.VisibilityTimeout)
	})
}
