package sqsapi

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// message is one message of a queue.
type message struct {
	id       string
	body     string
	bodyMD5  string
	attrs    map[string]attributeValue
	attrsMD5 string
	sent     time.Time
	// visibleAt is when it can next be received: after its delay, then
	// after each receive's visibility timeout.
	visibleAt    time.Time
	receives     int
	firstReceive time.Time
	// receipt is the handle of the latest receive; only it deletes.
	receipt string
	deleted bool
}

func (m *message) inFlight(now time.Time) bool { return m.receives > 0 && now.Before(m.visibleAt) }

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// attributesMD5 is SQS's digest of message attributes: for each, by
// name, the length-prefixed name, data type, a transport byte (1 string,
// 2 binary) and the length-prefixed value.
func attributesMD5(attrs map[string]attributeValue) string {
	if len(attrs) == 0 {
		return ""
	}
	var buf []byte
	put := func(b []byte) {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(b)))
		buf = append(buf, b...)
	}
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		v := attrs[name]
		put([]byte(name))
		put([]byte(v.DataType))
		if strings.HasPrefix(v.DataType, "Binary") {
			buf = append(buf, 2)
			put(v.BinaryValue)
		} else {
			buf = append(buf, 1)
			put([]byte(deref(v.StringValue)))
		}
	}
	return md5Hex(buf)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// receipt handles name the message and the receive, opaquely.
func (a *API) receiptFor(q *Queue, m *message) string {
	raw := fmt.Sprintf("%s|%s|%d|%016x", q.Name, m.id, m.receives, a.ids.Next())
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// parseReceipt returns the message a handle of q names and the receive
// it came from; ok is false for a handle SQS never gave out.
func parseReceipt(q *Queue, handle string) (id string, receive int, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(handle)
	if err != nil {
		return "", 0, false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 4 || parts[0] != q.Name {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil {
		return "", 0, false
	}
	return parts[1], n, true
}

// find returns the live message with id.
func (q *Queue) find(id string) *message {
	for _, m := range q.messages {
		if m.id == id && !m.deleted {
			return m
		}
	}
	return nil
}

// expire drops deleted messages and those past the retention period.
func (q *Queue) expire(now time.Time) {
	keep := q.seconds(AttrRetention)
	out := q.messages[:0]
	for _, m := range q.messages {
		if m.deleted || now.Sub(m.sent) >= keep {
			continue
		}
		out = append(out, m)
	}
	clear(q.messages[len(out):])
	q.messages = out
}

// counts are the Approximate* attributes.
func (q *Queue) counts(now time.Time) (visible, inFlight, delayed int) {
	for _, m := range q.messages {
		switch {
		case m.deleted:
		case m.inFlight(now):
			inFlight++
		case now.Before(m.visibleAt):
			delayed++
		default:
			visible++
		}
	}
	return visible, inFlight, delayed
}

// nextVisible is the soonest time a message not receivable now becomes so.
func (q *Queue) nextVisible(now time.Time) (time.Time, bool) {
	var next time.Time
	for _, m := range q.messages {
		if !m.deleted && now.Before(m.visibleAt) && (next.IsZero() || m.visibleAt.Before(next)) {
			next = m.visibleAt
		}
	}
	return next, !next.IsZero()
}
