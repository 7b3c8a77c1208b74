package events

import (
	"sort"
	"sync"
	"time"
)

// Debounce is how long the first new-task hint of a burst waits for the
// others, so that a deployment reaching many hosts within seconds is one
// SSM command per batch of hosts, not one per host.
const Debounce = 3 * time.Second

// MaxHostsAtOnce ends a debounce early: a batch of this many hosts is
// as large as one SSM command takes.
const MaxHostsAtOnce = 50

// Inbox holds a policy's hints until the engine takes them: Deliver adds
// (from the Source's goroutine), Take and ReadyAt read (from the pass),
// and neither waits for the other.
type Inbox struct {
	mu          sync.Mutex
	hosts       map[string]*HostHint // by container instance ARN
	services    map[string]Hint      // by service ARN
	invocations map[string]Hint      // by command ID and instance
	// since is when the oldest pending host hint was read (the debounce
	// counts from it).
	since time.Time
	// notify is told when something arrives (the controller triggers
	// a reconcile of the policy).
	notify   func()
	recorder Recorder
	policy   string
}

// NewInbox returns an empty inbox; notify (may be nil) is called, without
// the inbox's lock, whenever hints arrive.
func NewInbox(policy string, notify func(), rec Recorder) *Inbox {
	if rec == nil {
		rec = nopRecorder{}
	}
	return &Inbox{
		hosts: map[string]*HostHint{}, services: map[string]Hint{}, invocations: map[string]Hint{},
		notify: notify, recorder: rec, policy: policy,
	}
}

// Deliver adds hints.
func (b *Inbox) Deliver(hints []Hint) {
	if len(hints) == 0 {
		return
	}
	b.mu.Lock()
	for _, h := range hints {
		b.add(h)
	}
	b.mu.Unlock()
	if b.notify != nil {
		b.notify()
	}
}

func (b *Inbox) add(h Hint) {
	switch h.Kind {
	case HostDue, ProxyCheck:
		hh := b.hosts[h.ContainerInstanceARN]
		if hh == nil {
			hh = &HostHint{ClusterARN: h.ClusterARN, ContainerInstanceARN: h.ContainerInstanceARN, First: h.At}
			b.hosts[h.ContainerInstanceARN] = hh
			if len(b.hosts) == 1 {
				b.since = h.Received
			}
		}
		if h.InstanceID != "" {
			hh.InstanceID = h.InstanceID
		}
		if h.At.Before(hh.First) {
			hh.First = h.At
		}
		if h.Kind == ProxyCheck {
			hh.CheckProxy = true
		} else {
			hh.NewTasks = append(hh.NewTasks, Task{ARN: h.TaskARN, TaskDefinitionARN: h.TaskDefinitionARN})
		}
	case TaskDefinitionDue:
		if _, ok := b.services[h.ServiceARN]; !ok {
			b.services[h.ServiceARN] = h
		}
	case InvocationReady:
		b.invocations[h.CommandID+"/"+h.InstanceID] = h
	}
}

// ReadyAt is when Take next returns something: now for task
// definitions and invocations, at the end of the debounce for hosts;
// ok is false when the inbox is empty.
func (b *Inbox) ReadyAt() (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case len(b.services) > 0 || len(b.invocations) > 0:
		return time.Time{}, true
	case len(b.hosts) >= MaxHostsAtOnce:
		return b.since, true
	case len(b.hosts) > 0:
		return b.since.Add(Debounce), true
	}
	return time.Time{}, false
}

// Take hands over what is ready at now: every task definition and
// invocation, and the hosts once their debounce is over (all of them,
// then, including any that arrived later).
func (b *Inbox) Take(now time.Time) Batch {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out Batch
	for _, h := range b.services {
		out.TaskDefinitions = append(out.TaskDefinitions, h)
		b.recorder.HintDue(TypeService, now.Sub(h.At))
	}
	for _, h := range b.invocations {
		out.Invocations = append(out.Invocations, h)
		b.recorder.HintDue(TypeInvocation, now.Sub(h.At))
	}
	clear(b.services)
	clear(b.invocations)
	if len(b.hosts) > 0 && (len(b.hosts) >= MaxHostsAtOnce || !now.Before(b.since.Add(Debounce))) {
		for _, hh := range b.hosts {
			out.Hosts = append(out.Hosts, *hh)
			typ := TypeTask
			if len(hh.NewTasks) == 0 {
				typ = TypeInstance
			}
			b.recorder.HintDue(typ, now.Sub(hh.First))
		}
		clear(b.hosts)
	}
	sort.Slice(out.Hosts, func(i, j int) bool { return out.Hosts[i].ContainerInstanceARN < out.Hosts[j].ContainerInstanceARN })
	sort.Slice(out.TaskDefinitions, func(i, j int) bool { return out.TaskDefinitions[i].ServiceARN < out.TaskDefinitions[j].ServiceARN })
	sort.Slice(out.Invocations, func(i, j int) bool {
		return out.Invocations[i].CommandID+out.Invocations[i].InstanceID < out.Invocations[j].CommandID+out.Invocations[j].InstanceID
	})
	return out
}
