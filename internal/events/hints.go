package events

import "time"

// Hints is what the engine's pass needs of the events, so that it can
// depend on this rather than on a Hub (a test hands it its own):
//
//   - at the start of a pass, Ensure(policy, Config{Settings:
//     settings.WithEventQueue(spec.Events), Scope: ...}) keeps the
//     policy's feed reading the right queue (a no-op when nothing
//     changed), and Status(policy) feeds the policy's conditions;
//   - Take(policy, now) hands over the hosts, task definitions and
//     invocations due now: the inventory step marks the hosts due, the
//     audit step describes the services' task definitions, the poll
//     step reads the invocations first;
//   - ReadyAt(policy) bounds the pass's RequeueAfter, so the pass that
//     takes a debounced batch comes when the debounce ends;
//   - Forget(policy) when the policy is deleted.
//
// None of them waits for AWS.
type Hints interface {
	Ensure(policy string, cfg Config) Status
	Forget(policy string)
	Take(policy string, now time.Time) Batch
	ReadyAt(policy string) (time.Time, bool)
	Status(policy string) Status
}

var _ Hints = (*Hub)(nil)
