// Package engine is the core that the Kubernetes reconciler and ecswinctl
// share: one Pass reads a policy's fleet, judges it, sends or polls SSM
// repairs without ever waiting for them, and returns what status, events
// and metrics need. Per-policy memory (commands in flight, last reports,
// last verification) lives here, keyed by PolicyRef.
package engine
