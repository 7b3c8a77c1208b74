// Package cli is route-bootstrap's whole command line: subcommands ensure,
// host and exec, their flags, report printing and exit codes. The binary's
// main only builds a real Env; the fleet simulator calls Run with an
// in-memory host, so both run this very logic.
package cli

import (
	"context"
	"io"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Env is everything Run needs from the outside world.
type Env struct {
	// OS is the host (for host) or the local network compartment (for
	// ensure and exec; host-only operations may fail there).
	OS     hostos.OS
	Stdout io.Writer
	Stderr io.Writer
	// Executable is this binary's path on the host, copied into containers
	// by the host command.
	Executable string
	// RunApp runs the application for exec, with this process's standard
	// streams, and returns its exit code. Windows has no execve, so the
	// real one runs a child and mirrors its exit code.
	RunApp func(ctx context.Context, argv []string) (int, error)
}
