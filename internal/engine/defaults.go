package engine

import "time"

// Tunables in one place.
const (
	// DefaultParallelism bounds the AWS calls of one pass in flight.
	DefaultParallelism = 16
	// DefaultPollInterval is how soon a pass comes back while SSM
	// commands are in flight.
	DefaultPollInterval = 10 * time.Second
	// defaultInventoryInterval applies when the spec leaves it unset.
	defaultInventoryInterval = time.Minute
	// defaultReverifyInterval applies when the spec leaves it unset.
	defaultReverifyInterval = 6 * time.Hour
	// commandGrace is how long after its timeout a command may stay
	// non-terminal before the engine gives up on it and frees the host.
	commandGrace = 5 * time.Minute
)
