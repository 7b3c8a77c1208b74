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

// receiver is a ReceiveMessage waiting for a message (a long poll).
type receiver struct {
	queue string
	// wakeAt is when it looks again, whatever happens meanwhile.
	wakeAt time.Time
	// woken: a message may have arrived since it last looked.
	woken bool
}

func (a *API) receiveMessage(ctx context.Context, in *receiveMessageInput) (any, error) {
	var (
		w        *receiver
		deadline time.Time
	)
	for {
		leave := a.Guard.Write()
		q, err := a.queue(in.QueueURL)
		if err != nil {
			a.stopWaiting(w)
			leave()
			return nil, err
		}
		now := a.Now()
		if w == nil {
			wait := q.seconds(AttrWait)
			if in.WaitTimeSeconds != nil {
				wait = time.Duration(*in.WaitTimeSeconds) * time.Second
			}
			deadline = now.Add(wait)
		}
		msgs := a.take(q, now, in)
		if len(msgs) > 0 || !now.Before(deadline) || a.Clock == nil {
			a.stopWaiting(w)
			leave()
			return receiveMessageOutput{Messages: msgs}, nil
		}
		wake := deadline
		if t, ok := q.nextVisible(now); ok && t.Before(wake) {
			wake = t
		}
		if a.NextChange != nil {
			if t, ok := a.NextChange(); ok && t.After(now) && t.Before(wake) {
				wake = t
			}
		}
		changed := q.changed
		if w == nil {
			w = &receiver{queue: q.Name}
		}
		w.wakeAt, w.woken = wake, false
		a.receivers[w] = true
		a.signalIdle()
		leave()

		timer := a.Clock.NewTimer(wake.Sub(now))
		select {
		case <-changed:
		case <-timer.C():
		case <-ctx.Done():
			timer.Stop()
			leave := a.Guard.Write()
			a.stopWaiting(w)
			leave()
			return nil, wire.ClientErr("RequestCanceled", "the client went away: %v", ctx.Err())
		}
		timer.Stop()
	}
}

func (a *API) stopWaiting(w *receiver) {
	if w != nil && a.receivers[w] {
		delete(a.receivers, w)
		a.signalIdle()
	}
}

func (a *API) signalIdle() {
	close(a.idle)
	a.idle = make(chan struct{})
}

// woke marks the receivers of q as woken: a message may be receivable.
func (a *API) woke(q *Queue) {
	for w := range a.receivers {
		if w.queue == q.Name {
			w.woken = true
		}
	}
	a.signalIdle()
}

// WaitIdle blocks until at least n receives wait with nothing to take
// until after the clock's now: every message they could receive has
// been received and handed out, so whatever the clients do with them
// is done once they are back waiting. Benchmarks on a fake clock call
// it after each step. enter is the simulator's lock.
func (a *API) WaitIdle(ctx context.Context, n int, enter func() func()) error {
	for {
		leave := enter()
		now, idle := a.Now(), 0
		for w := range a.receivers {
			if !w.woken && w.wakeAt.After(now) {
				idle++
			}
		}
		ch := a.idle
		leave()
		if idle >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// take receives up to the asked number of messages of q receivable now,
// oldest first, each invisible for the visibility timeout from now.
func (a *API) take(q *Queue, now time.Time, in *receiveMessageInput) []messageJSON {
	q.expire(now)
	limit := 1
	if in.MaxNumberOfMessages != nil {
		limit = int(*in.MaxNumberOfMessages)
	}
	vt := q.seconds(AttrVisibilityTimeout)
	if in.VisibilityTimeout != nil {
		vt = time.Duration(*in.VisibilityTimeout) * time.Second
	}
	system := append(slices.Clone(in.AttributeNames), in.MessageSystemAttributeNames...)
	var out []messageJSON
	for _, m := range q.messages {
		if len(out) == limit {
			break
		}
		if m.deleted || now.Before(m.visibleAt) {
			continue
		}
		m.receives++
		if m.firstReceive.IsZero() {
			m.firstReceive = now
		}
		m.visibleAt = now.Add(vt)
		m.receipt = a.receiptFor(q, m)
		out = append(out, a.render(m, system, in.MessageAttributeNames))
	}
	return out
}

func (a *API) render(m *message, system, user []string) messageJSON {
	out := messageJSON{MessageID: m.id, ReceiptHandle: m.receipt, MD5OfBody: m.bodyMD5, Body: m.body}
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	all := map[string]string{
		"SenderId":                         "AIDASIMULATEDSENDER" + a.AccountID[:4],
		"SentTimestamp":                    ms(m.sent),
		"ApproximateReceiveCount":          strconv.Itoa(m.receives),
		"ApproximateFirstReceiveTimestamp": ms(m.firstReceive),
	}
	for _, name := range system {
		if out.Attributes == nil {
			out.Attributes = map[string]string{}
		}
		if name == "All" {
			maps.Copy(out.Attributes, all)
			continue
		}
		if v, ok := all[name]; ok {
			out.Attributes[name] = v
		}
	}
	picked := map[string]attributeValue{}
	for name, v := range m.attrs {
		if wanted(name, user) {
			picked[name] = v
		}
	}
	if len(picked) > 0 {
		out.MessageAttributes = picked
		out.MD5OfMessageAttributes = attributesMD5(picked)
	}
	return out
}

// wanted tells whether a message attribute is among the names asked
// for: All, .*, prefix.*, or its own name.
func wanted(name string, asked []string) bool {
	for _, a := range asked {
		switch {
		case a == "All" || a == ".*" || a == name:
			return true
		case strings.HasSuffix(a, ".*") && strings.HasPrefix(name, strings.TrimSuffix(a, "*")):
			return true
		}
	}
	return false
}

// changed wakes every receive waiting on q.
func (a *API) changed(q *Queue) {
	q.wake()
	a.woke(q)
}
