package engine

import (
	"sync"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// hostLocks records which policy has a command in flight on which host,
// across all policies of the engine, so that two policies watching the
// same cluster (a DryRun audit beside an Enforce one, or two that reach
// it with different retry modes or endpoints) never run two commands on
// one host at once. A host is its EC2 instance ID where it lives (see
// awsapi.HostScope for why the account is not part of it).
type hostLocks struct {
	mu sync.Mutex
	// owner maps scope, then instance ID, to the policy holding the host;
	// the inner maps keep only the ID per host (10,000 hosts in flight
	// leave maps that Go never shrinks).
	owner map[awsapi.HostScope]map[string]PolicyRef
}

func newHostLocks() *hostLocks {
	return &hostLocks{owner: map[awsapi.HostScope]map[string]PolicyRef{}}
}

// take records ref's command on the hosts that no other policy holds.
func (l *hostLocks) take(scope awsapi.HostScope, ids []string, ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	hosts := l.owner[scope]
	if hosts == nil {
		hosts = map[string]PolicyRef{}
		l.owner[scope] = hosts
	}
	for _, id := range ids {
		if _, held := hosts[id]; !held {
			hosts[id] = ref
		}
	}
}

// release frees a host that ref holds.
func (l *hostLocks) release(scope awsapi.HostScope, id string, ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if hosts := l.owner[scope]; hosts[id] == ref {
		delete(hosts, id)
	}
}

// releaseAll frees every host ref holds (a deleted policy, or one that
// moved to another target).
func (l *hostLocks) releaseAll(ref PolicyRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, hosts := range l.owner {
		for id, owner := range hosts {
			if owner == ref {
				delete(hosts, id)
			}
		}
	}
}

// heldByOther reports whether another policy has a command on the host.
func (l *hostLocks) heldByOther(scope awsapi.HostScope, id string, ref PolicyRef) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	owner, held := l.owner[scope][id]
	return held && owner != ref
}
