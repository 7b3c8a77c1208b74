package inventory

import "sync"

// limiter runs functions in goroutines with at most n running at once.
// Unlike errgroup.Group with SetLimit, Go never blocks the caller: the
// list chains, which are the critical path of a pass (each page needs the
// previous page's token), keep listing while describes wait for a slot.
type limiter struct {
	slots chan struct{}
	wg    sync.WaitGroup
}

func newLimiter(n int) *limiter {
	return &limiter{slots: make(chan struct{}, max(n, 1))}
}

// Go runs fn once a slot is free.
func (l *limiter) Go(fn func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.slots <- struct{}{}
		defer func() { <-l.slots }()
		fn()
	}()
}

// Wait returns when every function given to Go has returned.
func (l *limiter) Wait() { l.wg.Wait() }
