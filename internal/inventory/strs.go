package inventory

import (
	"strings"
	"sync"
)

// interner keeps the strings the fleet holds apart from the SDK's
// answers. The SDK decodes the strings of one answer into one shared
// arena, so a fleet that kept any of them as they come would keep every
// answer it was read from alive (a 10,000-host fleet's DescribeTasks
// answers are tens of megabytes). Strings that repeat across the fleet
// (statuses, OS families, the task-definition and container-instance
// ARNs every task names) are kept once per inventory.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func newInterner() *interner { return &interner{m: map[string]string{}} }

// keep returns s in memory of its own, the same string for equal values.
// A nil interner only copies.
func (in *interner) keep(s string) string {
	if in == nil || s == "" {
		return strings.Clone(s)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if k, ok := in.m[s]; ok {
		return k
	}
	k := strings.Clone(s)
	in.m[k] = k
	return k
}

// own returns s in memory of its own, for strings no other part of the
// fleet repeats (task ARNs, instance IDs).
func own(s string) string { return strings.Clone(s) }
