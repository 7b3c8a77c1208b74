package inventory

import "sync"

// TaskCache keeps running tasks by ARN from one pass to the next: once a
// task runs, its definition, container instance, start time and overrides
// never change, so a pass describes only the tasks it has not seen. The
// cache holds what the last complete listing held, nothing more.
type TaskCache struct {
	mu sync.Mutex
	// last is what the previous pass kept; seen is what this pass saw.
	last, seen map[string]*Task
}

// NewTaskCache returns an empty cache.
func NewTaskCache() *TaskCache {
	return &TaskCache{last: map[string]*Task{}, seen: map[string]*Task{}}
}

// Len is the number of tasks the cache holds.
func (c *TaskCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.last)
}

// lookup returns a task seen by an earlier pass and keeps it for the next.
func (c *TaskCache) lookup(arn string) (*Task, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.last[arn]
	if ok {
		c.seen[arn] = t
	}
	return t, ok
}

// keep remembers a task that runs: one still pending may yet change.
func (c *TaskCache) keep(t *Task) {
	if c == nil || t.StartedAt.IsZero() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[t.ARN] = t
}

// finish ends a pass. After a complete listing the cache holds exactly the
// tasks it saw (stopped tasks go); after an incomplete one it keeps the
// old ones too, since their absence proves nothing.
func (c *TaskCache) finish(complete bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !complete {
		for arn, t := range c.seen {
			c.last[arn] = t
		}
	} else {
		c.last = c.seen
	}
	c.seen = make(map[string]*Task, len(c.last))
}
