// Package eventbus is the simulator's EventBridge default bus: AWS
// services' events in EventBridge's envelope, rules with event patterns
// whose targets are SQS queues, and delivery with EventBridge's
// misbehaviour as faults (latency, jitter that reorders, held-back
// events, duplicates, drops), every draw from one seed.
package eventbus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Event is an event in EventBridge's envelope, as a rule's SQS target
// receives it (the message body is this JSON).
type Event struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     any      `json:"detail"`
}

// TimeFormat is the envelope's time: seconds, UTC.
const TimeFormat = "2006-01-02T15:04:05Z"

// DetailTimeFormat is the ISO form the ECS and SSM details use.
const DetailTimeFormat = "2006-01-02T15:04:05.000Z"

// Faults is how EventBridge misbehaves on the way to the queues.
type Faults struct {
	// Latency from the event to its delivery (default 500ms).
	Latency faults.Duration `json:"latency,omitempty"`
	// Jitter adds up to this much more to each delivery, uniformly, so
	// events closer together than it may arrive in another order.
	Jitter faults.Duration `json:"jitter,omitempty"`
	// DelayFraction of deliveries are held back by Delay more.
	DelayFraction float64         `json:"delayFraction,omitempty"`
	Delay         faults.Duration `json:"delay,omitempty"`
	// DuplicateFraction of deliveries arrive twice (EventBridge delivers
	// at least once), the copy after another jitter.
	DuplicateFraction float64 `json:"duplicateFraction,omitempty"`
	// DropFraction of deliveries never arrive.
	DropFraction float64 `json:"dropFraction,omitempty"`
}

// DefaultLatency is how long a delivery takes without faults.
const DefaultLatency = 500 * time.Millisecond

// Rule is an enabled rule of the default bus.
type Rule struct {
	Name    string
	Pattern *Pattern
	// Queues are the names of its SQS targets.
	Queues []string
}

// Deliverer puts a body in a queue, as sent at sent and receivable from
// visibleAt; false when the queue does not exist.
type Deliverer func(queue, body string, sent, visibleAt time.Time) bool

// Stats counts what the bus did.
type Stats struct {
	Published, Matched, Delivered, Duplicated, Dropped, Undeliverable int
}

// Bus is the default event bus of one account and region.
type Bus struct {
	Account, Region string
	deliver         Deliverer
	rules           map[string]*Rule
	faults          Faults
	rng             *rand.Rand
	ids             wire.IDs
	stats           Stats
}

// New returns a bus delivering with deliver, drawing faults from seed.
func New(account, region string, seed uint64, deliver Deliverer) *Bus {
	return &Bus{
		Account: account, Region: region, deliver: deliver, rules: map[string]*Rule{},
		rng: rand.New(rand.NewPCG(seed, seed^0xeb0b)), ids: wire.IDs{Seed: seed ^ 0xe7e7},
	}
}

// PutRule creates or replaces a rule.
func (b *Bus) PutRule(name string, pattern []byte, queues ...string) error {
	p, err := Compile(pattern)
	if err != nil {
		return fmt.Errorf("rule %s: %w", name, err)
	}
	b.rules[name] = &Rule{Name: name, Pattern: p, Queues: queues}
	return nil
}

// DeleteRule removes a rule.
func (b *Bus) DeleteRule(name string) { delete(b.rules, name) }

// SetFaults replaces the delivery faults.
func (b *Bus) SetFaults(f Faults) { b.faults = f }

// Stats returns what the bus did so far.
func (b *Bus) Stats() Stats { return b.stats }

// Publish puts an event of source and detail type on the bus at the
// time at: every matching rule delivers it to its queues.
func (b *Bus) Publish(at time.Time, source, detailType string, resources []string, detail any) {
	b.stats.Published++
	if len(b.rules) == 0 {
		return
	}
	e := Event{
		Version: "0", ID: b.ids.UUID(), DetailType: detailType, Source: source,
		Account: b.Account, Time: at.UTC().Format(TimeFormat), Region: b.Region,
		Resources: resources, Detail: detail,
	}
	if e.Resources == nil {
		e.Resources = []string{}
	}
	body, err := json.Marshal(e)
	if err != nil {
		panic(fmt.Sprintf("eventbus: encoding an event: %v", err)) // the simulator's own values
	}
	var tree map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		panic(fmt.Sprintf("eventbus: decoding an event: %v", err))
	}
	names := make([]string, 0, len(b.rules))
	for name := range b.rules {
		names = append(names, name)
	}
	sort.Strings(names) // map order must not change the draws
	for _, name := range names {
		r := b.rules[name]
		if !r.Pattern.Match(tree) {
			continue
		}
		b.stats.Matched++
		for _, q := range r.Queues {
			b.send(q, string(body), at)
		}
	}
}

// send delivers one copy (or none, or two) with the faults' delays.
func (b *Bus) send(queue, body string, at time.Time) {
	f := b.faults
	if f.DropFraction > 0 && b.rng.Float64() < f.DropFraction {
		b.stats.Dropped++
		return
	}
	copies := 1
	if f.DuplicateFraction > 0 && b.rng.Float64() < f.DuplicateFraction {
		copies = 2
		b.stats.Duplicated++
	}
	latency := time.Duration(f.Latency)
	if latency <= 0 {
		latency = DefaultLatency
	}
	for range copies {
		d := latency
		if f.Jitter > 0 {
			d += time.Duration(b.rng.Int64N(int64(f.Jitter)))
		}
		if f.DelayFraction > 0 && b.rng.Float64() < f.DelayFraction {
			d += time.Duration(f.Delay)
		}
		arrive := at.Add(d)
		if b.deliver(queue, body, arrive, arrive) {
			b.stats.Delivered++
		} else {
			b.stats.Undeliverable++
		}
	}
}

// Active tells whether any rule listens: events need not be built else.
func (b *Bus) Active() bool { return len(b.rules) > 0 }
