// Package calls counts the API calls a simulator answers, per service and
// operation, so tests and benchmarks can assert how many calls a
// reconcile pass made and how many were throttled or failed.
package calls

import (
	"errors"
	"net/http"
	"sort"
	"sync"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Count is what happened to the calls of one operation.
type Count struct {
	// Calls is every call answered, whatever the outcome.
	Calls int
	// Throttled is calls answered with ThrottlingException.
	Throttled int
	// ServerErrors is calls answered with a 5xx.
	ServerErrors int
	// ClientErrors is calls answered with any other 4xx.
	ClientErrors int
}

// Snapshot is a copy of the counters at one moment.
type Snapshot map[wire.Call]Count

// Get returns the count of one operation ("ecs", "ListContainerInstances").
func (s Snapshot) Get(service, operation string) Count {
	return s[wire.Call{Service: service, Operation: operation}]
}

// Total sums every operation of service, or of all services when
// service is empty.
func (s Snapshot) Total(service string) Count {
	var t Count
	for c, n := range s {
		if service != "" && c.Service != service {
			continue
		}
		t.Calls += n.Calls
		t.Throttled += n.Throttled
		t.ServerErrors += n.ServerErrors
		t.ClientErrors += n.ClientErrors
	}
	return t
}

// Sorted lists the operations in service then operation order.
func (s Snapshot) Sorted() []wire.Call {
	out := make([]wire.Call, 0, len(s))
	for c := range s {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Operation < out[j].Operation
	})
	return out
}

// Counter is a concurrency-safe call counter.
type Counter struct {
	mu     sync.Mutex
	counts map[wire.Call]Count
}

// Record counts one answered call and its outcome.
func (c *Counter) Record(call wire.Call, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[wire.Call]Count{}
	}
	n := c.counts[call]
	n.Calls++
	var e *wire.Error
	if err != nil {
		if !errors.As(err, &e) {
			e = wire.AsError(err)
		}
		switch {
		case e.Code == wire.CodeThrottling:
			n.Throttled++
		case e.Status >= http.StatusInternalServerError:
			n.ServerErrors++
		default:
			n.ClientErrors++
		}
	}
	c.counts[call] = n
}

// Snapshot copies the counters.
func (c *Counter) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(Snapshot, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// Reset zeroes the counters.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = nil
}
