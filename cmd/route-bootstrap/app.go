package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
)

// runApp runs the application for "exec" with this process's streams and
// environment and returns its exit code. Windows has no execve, so the
// wrapper stays the parent and mirrors the child's exit code. While the
// child runs the wrapper outlives stop signals so the exit code still comes
// through: on Windows the child gets the same console control events
// itself; elsewhere they are forwarded.
func runApp(_ context.Context, argv []string) (int, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer func() {
		signal.Stop(signals)
		close(signals) // ends the forwarding goroutine
	}()
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	go func() {
		for sig := range signals {
			if runtime.GOOS != "windows" {
				cmd.Process.Signal(sig) //nolint:errcheck // the child may have exited
			}
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("waiting for %s: %w", argv[0], err)
	}
	return 0, nil
}
