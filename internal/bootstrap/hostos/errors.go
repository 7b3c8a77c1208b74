package hostos

import "errors"

var (
	// ErrNotHost is returned by host-only operations where only a container
	// network is reachable.
	ErrNotHost = errors.New("not a container host")
	// ErrContainerNotRunning is returned when a container stopped or vanished
	// (for instance in the middle of a repair).
	ErrContainerNotRunning = errors.New("container not running")
	// ErrUnsupported is returned when the platform lacks an operation, such
	// as an IP Helper export that Wine does not provide.
	ErrUnsupported = errors.New("operation not supported on this platform")
	// ErrRouteNotFound is returned by DeleteRoute when no route matches.
	ErrRouteNotFound = errors.New("route not found")
	// ErrBusy is returned by AcquireRun while another run holds the host.
	ErrBusy = errors.New("another route-bootstrap host run holds the machine-wide lock")
)
