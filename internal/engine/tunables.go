package engine

import "time"

// Tunables of the engine (not of a policy: the CRD holds those, with its
// defaults).
const (
	// DefaultParallelism bounds the AWS calls of one pass in flight.
	DefaultParallelism = 16
	// DefaultPollInterval is how soon a pass comes back while SSM
	// commands are in flight.
	DefaultPollInterval = 10 * time.Second
)

const (
	// recoverLookback is how far back a restarted engine looks for
	// commands still running: the longest delivery and execution
	// timeouts a policy can ask for.
	recoverLookback = 48 * time.Hour
	// repairRetryFactor times the inventory interval is the least time
	// between two runs on a host that stays broken.
	repairRetryFactor = 3
	// minRequeue keeps a pass from being asked again at once.
	minRequeue = time.Second
	// fallbackPoll is the longest a command in flight goes unread while
	// SSM's status events say when runs end.
	fallbackPoll = time.Minute
	// eventsReverifyFactor lengthens the reverify period while a policy's
	// event queue is read (24 h at the CRD's default 6 h).
	eventsReverifyFactor = 4
)
