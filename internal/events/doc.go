// Package events hears of a fleet's changes as they happen: it
// long-polls a policy's SQS queue (spec.events.queueURL), which
// EventBridge rules feed with ECS and Run Command events (config/aws),
// turns each event into a hint (a host due now, a host whose credential
// proxy to check, a task definition to audit, an SSM invocation to
// read), deletes what it has read in batches, and hands the hints to the
// engine through an Inbox that the engine's pass drains without waiting.
//
// Every event is a hint, never a fact: the inventory and the host's own
// report confirm. So duplicates, reordering, lost events, other
// clusters' events, malformed or oversized bodies, and a queue that is
// missing or denied are counted, logged once and survived; polling
// stays as the safety net.
//
// A Hub runs one Source goroutine per policy (Start is a
// controller-runtime Runnable's signature, without importing it); the
// engine calls Ensure, Take and ReadyAt from its pass, none of which
// blocks.
package events
