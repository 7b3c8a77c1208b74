package events

import "time"

// Remembering windows: how long an event ID counts as seen (EventBridge
// and SQS deliver at least once, a duplicate within minutes), and how
// long a task's or an instance's last version is kept (events of one
// change arrive within seconds of each other, reordered or not).
const (
	seenFor     = 15 * time.Minute
	versionsFor = 6 * time.Hour
)

// memory is what a Source remembers of the events it read, to drop
// duplicates and stale reorderings and to see an agent reconnect.
type memory struct {
	seen      map[string]time.Time // event ID -> read at
	tasks     map[string]versioned // task ARN -> highest version read
	instances map[string]*agentLog // container instance ARN
	pruned    time.Time
}

type versioned struct {
	version int64
	at      time.Time
}

// agentLog is an instance's agent connection as the events told it.
type agentLog struct {
	// connected and disconnected are the highest versions read in each
	// state; handled is the disconnected version a reconnect was hinted for.
	connected, disconnected, handled int64
	at                               time.Time
}

func newMemory() *memory {
	return &memory{seen: map[string]time.Time{}, tasks: map[string]versioned{}, instances: map[string]*agentLog{}}
}

// duplicate tells whether the event ID was read already, and remembers it.
func (m *memory) duplicate(id string, now time.Time) bool {
	if _, ok := m.seen[id]; ok {
		return true
	}
	m.seen[id] = now
	return false
}

// staleTask tells whether a task event is older than one read before
// (version 0, which ECS does not send, is never stale).
func (m *memory) staleTask(arn string, version int64, now time.Time) bool {
	last, ok := m.tasks[arn]
	if ok && version <= last.version && version > 0 {
		return true
	}
	m.tasks[arn] = versioned{version: version, at: now}
	return false
}

// reconnected records an instance event and tells whether it shows the
// agent connected after being disconnected, once per disconnection,
// whichever order the two events came in.
func (m *memory) reconnected(arn string, connected bool, version int64, now time.Time) bool {
	l := m.instances[arn]
	if l == nil {
		l = &agentLog{}
		m.instances[arn] = l
	}
	l.at = now
	if connected {
		l.connected = max(l.connected, version)
	} else {
		l.disconnected = max(l.disconnected, version)
	}
	if l.disconnected > 0 && l.connected > l.disconnected && l.handled < l.disconnected {
		l.handled = l.disconnected
		return true
	}
	return false
}

// prune forgets what is past its window, at most once a minute.
func (m *memory) prune(now time.Time) {
	if now.Sub(m.pruned) < time.Minute {
		return
	}
	m.pruned = now
	for id, at := range m.seen {
		if now.Sub(at) > seenFor {
			delete(m.seen, id)
		}
	}
	for arn, v := range m.tasks {
		if now.Sub(v.at) > versionsFor {
			delete(m.tasks, arn)
		}
	}
	for arn, l := range m.instances {
		if now.Sub(l.at) > versionsFor {
			delete(m.instances, arn)
		}
	}
}
