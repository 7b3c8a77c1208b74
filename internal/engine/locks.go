package engine

import (
	"sync"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// hostKey names one host: its EC2 instance ID where it lives (see
// awsapi.HostScope for why the account is not part of it).
type hostKey struct {
	scope      awsapi.HostScope
	instanceID string
}

// hostLocks records which policy has a command in flight on which host,
// across all policies of the engine, so that two policies watching the
// same cluster (a DryRun audit beside an Enforce one, or two that reach
// it with different retry modes or endpoints) never run two commands on
// one host at once.
type hostLocks struct {
	mu    sync.Mutex
	owner map[hostKey]PolicyRef
}

func newHostLocks() *hostLocks { return &hostLocks{owner: map[hostKey]PolicyRef{}} }

// take records ref's command on the hosts that no other policy holds.
func (l *hostLocks) take(scope awsapi.HostScope, ids []string, ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		k := hostKey{scope, id}
		if _, held := l.owner[k]; !held {
			l.owner[k] = ref
		}
	}
}

// release frees a host that ref holds.
func (l *hostLocks) release(scope awsapi.HostScope, id string, ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := hostKey{scope, id}
	if l.owner[k] == ref {
		delete(l.owner, k)
	}
}

// releaseAll frees every host ref holds (a deleted policy, or one that
// moved to another target).
func (l *hostLocks) releaseAll(ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, owner := range l.owner {
		if owner == ref {
			delete(l.owner, k)
		}
	}
}

// heldByOther reports whether another policy has a command on the host.
func (l *hostLocks) heldByOther(scope awsapi.HostScope, id string, ref PolicyRef) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	owner, held := l.owner[hostKey{scope, id}]
	return held && owner != ref
}
