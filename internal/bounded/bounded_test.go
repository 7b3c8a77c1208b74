package bounded

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

func TestMapKeepsOrderAndBound(t *testing.T) {
	var running, most atomic.Int32
	items := make([]int, 40)
	for i := range items {
		items[i] = i
	}
	got, err := Map(context.Background(), 3, items, func(_ context.Context, i int) (string, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		if i%10 == 7 {
			return "", fmt.Errorf("item %d failed", i)
		}
		return fmt.Sprint(i), nil
	})
	if most.Load() > 3 {
		t.Errorf("%d calls ran at once, want at most 3", most.Load())
	}
	for i, s := range got {
		if want := fmt.Sprint(i); i%10 != 7 && s != want {
			t.Fatalf("result %d = %q, want %q: results out of order", i, s, want)
		}
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 4 || joined.Unwrap()[0].Error() != "item 7 failed" {
		t.Errorf("err = %v, want the four failures in item order", err)
	}
}

func TestMapOfNothing(t *testing.T) {
	got, err := Map(context.Background(), 0, []int(nil), func(context.Context, int) (int, error) { return 0, errors.New("called") })
	if len(got) != 0 || err != nil {
		t.Errorf("Map(nil) = %v, %v", got, err)
	}
}

func TestBatches(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	got := Batches(items, 2)
	if !slices.EqualFunc(got, [][]int{{1, 2}, {3, 4}, {5}}, slices.Equal) {
		t.Fatalf("Batches = %v", got)
	}
	got[0] = append(got[0], 99) // must not overwrite the next batch
	if items[2] != 3 {
		t.Errorf("appending to a batch overwrote the next one: %v", items)
	}
	if len(Batches([]int{}, 10)) != 0 {
		t.Error("batches of nothing")
	}
}
