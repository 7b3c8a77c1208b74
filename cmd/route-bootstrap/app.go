package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// runApp runs the application for "exec" with this process's streams and
// environment and returns its exit code. Windows has no execve, so the
// wrapper stays as the parent and mirrors the child's exit code; the child
// receives console control events with the whole console group.
func runApp(ctx context.Context, argv []string) (int, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting %s: %w", argv[0], err)
	}
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
