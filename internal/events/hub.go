package events

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/internal/awsapi"
)

// HubDeps are what a Hub needs from its host process.
type HubDeps struct {
	// Clients builds the SQS client of a policy's settings, under the
	// operator's trust (a refused queue host gets StateRefused).
	Clients awsapi.ClientSource
	// Clock times backoffs; nil means the real clock.
	Clock clock.Clock
	// Recorder counts messages and lags; nil records nothing.
	Recorder Recorder
	// Notify is told, by policy, when hints arrive (the manager
	// triggers a reconcile; ecswinctl run wakes its loop). May be nil.
	Notify func(policy string)
	// Log is the base logger.
	Log logr.Logger
}

// Config is what a policy's feed reads: the policy's AWS settings with
// its queue (awsapi.Settings.WithEventQueue), and which events are its.
type Config struct {
	Settings awsapi.Settings
	Scope    Scope
}

func (c Config) equal(o Config) bool {
	return c.Settings == o.Settings && c.Scope.Region == o.Scope.Region && c.Scope.Document == o.Scope.Document &&
		slices.Equal(c.Scope.Clusters, o.Scope.Clusters)
}

// Hub runs one feed (a Source in its own goroutine, and an Inbox) per
// policy that names a queue. Ensure, Forget, Take, ReadyAt and Status
// never block on AWS: the engine calls them from its pass.
type Hub struct {
	deps HubDeps

	mu    sync.Mutex
	ctx   context.Context // Start's; nil before Start
	feeds map[string]*feed
	wg    sync.WaitGroup
}

type feed struct {
	cfg    Config
	inbox  *Inbox
	cancel context.CancelFunc
	source *Source
	// status is the feed's own (Off, Shared, Refused, Starting) until its
	// Source has one.
	status Status
}

// NewHub returns a Hub; nothing runs until Start.
func NewHub(deps HubDeps) *Hub {
	if deps.Clock == nil {
		deps.Clock = clock.RealClock{}
	}
	if deps.Recorder == nil {
		deps.Recorder = nopRecorder{}
	}
	return &Hub{deps: deps, feeds: map[string]*feed{}}
}

// Start runs the feeds until ctx ends, then stops them and waits for
// their goroutines (a controller-runtime Runnable's Start).
func (h *Hub) Start(ctx context.Context) error {
	h.mu.Lock()
	h.ctx = ctx
	for policy, f := range h.feeds {
		h.launch(policy, f)
	}
	h.mu.Unlock()
	<-ctx.Done()
	h.mu.Lock()
	for _, f := range h.feeds {
		if f.cancel != nil {
			f.cancel()
		}
	}
	h.mu.Unlock()
	h.wg.Wait()
	return nil
}

// Ensure makes the policy's feed read cfg's queue, (re)starting it when
// cfg changed; a settings without a queue stops it. It returns the
// feed's status.
func (h *Hub) Ensure(policy string, cfg Config) Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[policy]
	if cfg.Settings.EventQueueURL == "" {
		if f != nil {
			h.stop(f)
			f.cfg, f.status = cfg, Status{State: StateOff, Since: h.deps.Clock.Now()}
		}
		return Status{State: StateOff}
	}
	// A feed refused as shared is judged again: the other policy may
	// have gone.
	if f != nil && f.cfg.equal(cfg) && f.status.State != StateShared {
		return h.statusOf(f)
	}
	if f == nil {
		f = &feed{inbox: NewInbox(policy, h.notifier(policy), h.deps.Recorder)}
		h.feeds[policy] = f
	}
	h.stop(f)
	f.cfg = cfg
	f.status = Status{State: StateStarting, Since: h.deps.Clock.Now(), Message: "starting to read " + cfg.Settings.EventQueueURL}
	if other := h.readerOf(cfg.Settings.EventQueueURL, policy); other != "" {
		f.status = Status{State: StateShared, Since: h.deps.Clock.Now(),
			Message: "policy " + other + " already reads " + cfg.Settings.EventQueueURL + ", and ecswin deletes what it reads: give each policy its own queue (config/aws)"}
		return f.status
	}
	if h.ctx != nil {
		h.launch(policy, f)
	}
	return f.status
}

// readerOf is the other policy whose running feed reads queue, if any.
func (h *Hub) readerOf(queue, policy string) string {
	for p, f := range h.feeds {
		if p != policy && f.cfg.Settings.EventQueueURL == queue && f.status.State != StateShared && f.status.State != StateOff {
			return p
		}
	}
	return ""
}

func (h *Hub) notifier(policy string) func() {
	if h.deps.Notify == nil {
		return nil
	}
	return func() { h.deps.Notify(policy) }
}

// launch starts f's goroutine; the lock is held.
func (h *Hub) launch(policy string, f *feed) {
	if f.cancel != nil || f.status.State == StateShared || f.status.State == StateOff {
		return
	}
	ctx, cancel := context.WithCancel(h.ctx)
	f.cancel = cancel
	cfg := f.cfg
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		h.run(ctx, policy, f, cfg)
	}()
}

// run builds the policy's SQS client (again and again while that
// fails, except when the operator's trust refuses the queue: only a
// spec change helps then), then reads until ctx ends.
func (h *Hub) run(ctx context.Context, policy string, f *feed, cfg Config) {
	log := h.deps.Log.WithValues("policy", policy)
	var clients awsapi.Clients
	for backoff := minBackoff; ; backoff = min(2*backoff, maxBackoff) {
		var err error
		clients, err = h.deps.Clients.ClientsFor(ctx, cfg.Settings)
		if err == nil && clients.SQS == nil {
			err = errNoSQS
		}
		if err == nil {
			break
		}
		state := StateFailing
		var refused *awsapi.RefusedError
		if errors.As(err, &refused) {
			state = StateRefused
		}
		h.mu.Lock()
		if f.cfg.equal(cfg) {
			if f.status.State != state {
				log.Info("the event queue cannot be read; polling alone finds changes", "queue", cfg.Settings.EventQueueURL, "error", err.Error())
				f.status = Status{State: state, Since: h.deps.Clock.Now()}
			}
			f.status.Message = stateMessage(state, cfg.Settings.EventQueueURL, err)
		}
		h.mu.Unlock()
		if state == StateRefused {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-h.deps.Clock.After(backoff):
		}
	}
	src := &Source{
		Policy: policy, QueueURL: cfg.Settings.EventQueueURL, Scope: cfg.Scope, SQS: clients.SQS,
		Clock: h.deps.Clock, Sink: f.inbox, Recorder: h.deps.Recorder, Log: h.deps.Log,
	}
	src.init()
	h.mu.Lock()
	if f.cfg.equal(cfg) {
		f.source = src
	}
	h.mu.Unlock()
	_ = src.Run(ctx)
}

// stop ends f's goroutine (it exits at its next step); the lock is held.
func (h *Hub) stop(f *feed) {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
	f.source = nil
}

// Forget stops the policy's feed and drops its hints (a deleted policy).
func (h *Hub) Forget(policy string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f := h.feeds[policy]; f != nil {
		h.stop(f)
		delete(h.feeds, policy)
	}
}

// Take hands over the policy's hints ready at now.
func (h *Hub) Take(policy string, now time.Time) Batch {
	if b := h.inbox(policy); b != nil {
		return b.Take(now)
	}
	return Batch{}
}

// ReadyAt is when the policy's next hints are ready (see Inbox.ReadyAt).
func (h *Hub) ReadyAt(policy string) (time.Time, bool) {
	if b := h.inbox(policy); b != nil {
		return b.ReadyAt()
	}
	return time.Time{}, false
}

// Status says how reading the policy's queue goes.
func (h *Hub) Status(policy string) Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[policy]
	if f == nil {
		return Status{State: StateOff}
	}
	return h.statusOf(f)
}

func (h *Hub) statusOf(f *feed) Status {
	if f.source != nil {
		return f.source.Status()
	}
	return f.status
}

func (h *Hub) inbox(policy string) *Inbox {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f := h.feeds[policy]; f != nil {
		return f.inbox
	}
	return nil
}
