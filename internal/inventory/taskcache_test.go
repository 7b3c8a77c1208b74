package inventory

import (
	"testing"
	"time"
)

func TestTaskCache(t *testing.T) {
	started := time.Unix(100, 0)
	c := NewTaskCache()
	c.keep(&Task{ARN: "a", StartedAt: started})
	c.keep(&Task{ARN: "pending"}) // not started: may still change
	c.finish(true)
	if _, ok := c.lookup("a"); !ok || c.Len() != 1 {
		t.Fatalf("running task not kept (len %d)", c.Len())
	}
	if _, ok := c.lookup("pending"); ok {
		t.Error("a pending task was kept")
	}
	c.keep(&Task{ARN: "b", StartedAt: started})
	c.finish(false) // incomplete listing: a may still run
	if _, ok := c.lookup("b"); !ok {
		t.Error("new task lost after an incomplete listing")
	}
	c.finish(true) // complete listing that saw only b (looked up above)
	if _, ok := c.lookup("a"); ok {
		t.Error("a task gone from a complete listing is still cached")
	}
	var none *TaskCache
	if _, ok := none.lookup("a"); ok {
		t.Error("nil cache found a task")
	}
	none.keep(&Task{ARN: "a", StartedAt: started})
	none.finish(true)
}
