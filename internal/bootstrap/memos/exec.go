package memos

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Owners a copied binary shows in "dir /q": what the Docker Engine (SYSTEM
// on the host) leaves, and what a hostile ContainerUser's replacement has.
const (
	trustedOwner = `BUILTIN\Administrators`
	hostileOwner = `User Manager\ContainerUser`
)

// CopyFile records that the route-bootstrap binary now sits at dst inside
// the container; the file's content is not simulated. A Hyper-V-isolated
// container refuses, as the Docker Engine does while it runs.
func (h *Host) CopyFile(_ context.Context, containerID, _, dst string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, err := h.lookup(containerID)
	if err != nil {
		return err
	}
	if c.hyperv {
		return fmt.Errorf("copying into %s: filesystem operations against a running Hyper-V container are not supported", containerID)
	}
	c.binary = dst
	return nil
}

// Exec runs, inside the container, route-bootstrap's command line when
// argv[0] is where CopyFile put it, or the two cmd.exe commands the host
// uses around it ("dir /q" for the copy's owner, "rmdir /s /q" to remove
// it). A container made with ExitsDuringExec stops instead, and the call
// fails with hostos.ErrContainerNotRunning; one made with HangsOnExec
// blocks until ctx ends.
func (h *Host) Exec(ctx context.Context, containerID string, argv []string) (hostos.ExecResult, error) {
	h.mu.Lock()
	c, err := h.lookup(containerID)
	if err == nil && c.exits {
		h.removeLocked(containerID)
		err = fmt.Errorf("container %s exited during exec: %w", containerID, hostos.ErrContainerNotRunning)
	}
	if err != nil {
		h.mu.Unlock()
		return hostos.ExecResult{}, err
	}
	if len(argv) > 0 && strings.EqualFold(argv[0], "cmd.exe") {
		defer h.mu.Unlock()
		return c.cmd(argv[1:]), nil
	}
	found := len(argv) > 0 && c.binary != "" && argv[0] == c.binary
	hangs := c.hangs
	h.mu.Unlock()
	switch {
	case !found:
		return hostos.ExecResult{}, fmt.Errorf("exec %q in %s: executable file not found", argv, containerID)
	case hangs:
		<-ctx.Done()
		return hostos.ExecResult{}, fmt.Errorf("exec in %s: %w", containerID, ctx.Err())
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(ctx, argv[1:], cli.Env{
		OS:     hostos.NetworkOnly{Network: containerNet{h: h, c: c}},
		Stdout: &stdout,
		Stderr: &stderr,
	})
	return hostos.ExecResult{ExitCode: code, Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}, nil
}

// cmd answers "/d /c dir /q /a:-d PATH" and "/d /c rmdir /s /q DIR" the way
// cmd.exe prints them; anything else fails.
func (c *container) cmd(args []string) hostos.ExecResult {
	line := strings.Join(args, " ")
	switch {
	case strings.HasPrefix(line, "/d /c dir /q /a:-d "):
		path := strings.TrimPrefix(line, "/d /c dir /q /a:-d ")
		if c.binary == "" || !strings.EqualFold(path, c.binary) {
			return hostos.ExecResult{ExitCode: 1, Stdout: []byte("File Not Found\r\n")}
		}
		owner := trustedOwner
		if c.hostile {
			owner = hostileOwner
		}
		dir, name := splitWindowsPath(path)
		out := fmt.Sprintf(" Volume in drive C has no label.\r\n Volume Serial Number is 7A3B-1C2D\r\n\r\n Directory of %s\r\n\r\n"+
			"12/01/2026  10:00 AM         8,912,384 %-23s %s\r\n               1 File(s)      8,912,384 bytes\r\n"+
			"               0 Dir(s)  20,123,456,789 bytes free\r\n", dir, owner, name)
		return hostos.ExecResult{Stdout: []byte(out)}
	case strings.HasPrefix(line, "/d /c rmdir /s /q "):
		dir := strings.TrimPrefix(line, "/d /c rmdir /s /q ")
		if c.binary == "" || !strings.HasPrefix(strings.ToLower(c.binary), strings.ToLower(dir)+`\`) {
			return hostos.ExecResult{ExitCode: 2, Stderr: []byte("The system cannot find the file specified.\r\n")}
		}
		c.binary = ""
		return hostos.ExecResult{}
	default:
		return hostos.ExecResult{ExitCode: 1, Stderr: []byte("'" + line + "' is not recognized in this simulation\r\n")}
	}
}

func splitWindowsPath(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '\\')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}
