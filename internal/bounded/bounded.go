// Package bounded runs the leaf calls of a step side by side, a bounded
// number at a time: SSM polls per command, SendCommand batches, attribute
// writes. It is the one place such fan-outs are written.
package bounded

import (
	"context"
	"errors"
	"sync"
)

// Map calls fn on every item, at most limit calls at once (at least one),
// and waits for all of them. The results come back in the items' order,
// so what a step does with them does not depend on timing, and the
// errors are joined in that order too (nil when none failed). A failed
// item does not stop the others: each stands for its own AWS call.
func Map[T, R any](ctx context.Context, limit int, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(items))
	errs := make([]error, len(items))
	slots := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i, item := range items {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			out[i], errs[i] = fn(ctx, item)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Batches cuts items into consecutive slices of at most size each (the
// most one AWS call takes); the slices share items' backing array and
// cannot grow into each other.
func Batches[T any](items []T, size int) [][]T {
	size = max(size, 1)
	out := make([][]T, 0, (len(items)+size-1)/size)
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		out = append(out, items[start:end:end])
	}
	return out
}
