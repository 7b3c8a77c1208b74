package inventory

import (
	"hash/maphash"
	"sync"
)

// TaskCache keeps running tasks from one pass to the next: once a task
// runs, its definition, container instance, start time and overrides
// never change, so a pass describes only the tasks it has not seen. The
// cache holds what the last complete listing held, nothing more.
//
// A 10,000-host fleet has some 50,000 tasks, so the cache is one map
// from a hash of each task's ID to the task, which records the pass that
// last listed it: the IDs are kept once, in the tasks, and no second map
// is built per pass. Two IDs of one hash cost a describe, nothing else.
type TaskCache struct {
	mu    sync.Mutex
	seed  maphash.Seed
	tasks map[uint64]*Task
	// pass counts the finished passes.
	pass uint32
}

// NewTaskCache returns an empty cache.
func NewTaskCache() *TaskCache {
	return &TaskCache{seed: maphash.MakeSeed(), tasks: map[uint64]*Task{}}
}

func (c *TaskCache) key(id string) uint64 { return maphash.String(c.seed, id) }

// Len is the number of tasks the cache holds.
func (c *TaskCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.tasks)
}

// lookup returns a task an earlier pass saw, and keeps it for the next.
func (c *TaskCache) lookup(arn string) (*Task, bool) {
	if c == nil {
		return nil, false
	}
	id := TaskID(arn)
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tasks[c.key(id)]
	if !ok || t.ID != id {
		return nil, false
	}
	t.seen = c.pass
	return t, true
}

// keep remembers a task that runs: one still pending may yet change.
func (c *TaskCache) keep(t *Task) {
	if c == nil || t.started == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t.seen = c.pass
	c.tasks[c.key(t.ID)] = t
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
	if complete {
		for k, t := range c.tasks {
			if t.seen != c.pass {
				delete(c.tasks, k)
			}
		}
	}
	c.pass++
}
