package memos

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// CopyFile records that the route-bootstrap binary now sits at dst inside
// the container; the file's content is not simulated.
func (h *Host) CopyFile(_ context.Context, containerID, _, dst string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, err := h.lookup(containerID)
	if err != nil {
		return err
	}
	c.copied = true
	h.binaryPath = dst
	return nil
}

// Exec runs route-bootstrap's command line inside the container when argv[0]
// is where CopyFile put it. A container made with ExitsDuringExec stops
// instead, and the call fails with hostos.ErrContainerNotRunning.
func (h *Host) Exec(ctx context.Context, containerID string, argv []string) (hostos.ExecResult, error) {
	h.mu.Lock()
	c, err := h.lookup(containerID)
	if err == nil && c.exits {
		h.removeLocked(containerID)
		err = fmt.Errorf("container %s exited during exec: %w", containerID, hostos.ErrContainerNotRunning)
	}
	if err == nil && (len(argv) == 0 || !c.copied || argv[0] != h.binaryPath) {
		err = fmt.Errorf("exec %q in %s: executable file not found", argv, containerID)
	}
	h.mu.Unlock()
	if err != nil {
		return hostos.ExecResult{}, err
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(ctx, argv[1:], cli.Env{
		OS:     hostos.NetworkOnly{Network: containerNet{h: h, c: c}},
		Stdout: &stdout,
		Stderr: &stderr,
	})
	return hostos.ExecResult{ExitCode: code, Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}, nil
}
