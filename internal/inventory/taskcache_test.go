package inventory

import (
	"testing"
	"time"
)

func TestTaskCache(t *testing.T) {
	started := time.Unix(100, 0)
	c := NewTaskCache()
	c.keep(NewTask("arn:task/c/a", started))
	c.keep(NewTask("arn:task/c/pending", time.Time{})) // not started: may still change
	c.finish(true)
	if _, ok := c.lookup("arn:task/c/a"); !ok || c.Len() != 1 {
		t.Fatalf("running task not kept (len %d)", c.Len())
	}
	if _, ok := c.lookup("arn:task/c/pending"); ok {
		t.Error("a pending task was kept")
	}
	c.keep(NewTask("arn:task/c/b", started))
	c.finish(false) // incomplete listing: a may still run
	if _, ok := c.lookup("arn:task/c/b"); !ok {
		t.Error("new task lost after an incomplete listing")
	}
	c.finish(true) // complete listing that saw only b (looked up above)
	if _, ok := c.lookup("arn:task/c/a"); ok {
		t.Error("a task gone from a complete listing is still cached")
	}
	var none *TaskCache
	if _, ok := none.lookup("a"); ok {
		t.Error("nil cache found a task")
	}
	none.keep(NewTask("a", started))
	none.finish(true)
}

// A task keeps its ID and its start whole, however it stores them.
func TestTaskKeepsItsARNAndStart(t *testing.T) {
	arn := "arn:aws:ecs:us-east-1:123456789012:task/windows-01/0123456789abcdef0123456789abcdef"
	started := time.Date(2026, 12, 1, 10, 0, 0, 123, time.UTC)
	task := NewTask(arn, started)
	if task.ID != "0123456789abcdef0123456789abcdef" || TaskID(arn) != task.ID || !task.StartedAt().Equal(started) {
		t.Errorf("task %+v: started %s", task, task.StartedAt())
	}
	if old := NewTask("arn:aws:ecs:us-east-1:123456789012:task/1d2e3f4a-0000-1111-2222-333344445555", time.Time{}); old.ID != "1d2e3f4a-0000-1111-2222-333344445555" || !old.StartedAt().IsZero() {
		t.Errorf("old-format task %+v", old)
	}
}
