// Package dockerrt reaches ECS task containers through the Docker Engine
// API (the moby client; on Windows over the //./pipe/docker_engine named
// pipe through go-winio). It implements hostos.Containers and builds on
// every OS, so its tests run against a fake Engine API on Linux.
package dockerrt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// ECS agent labels on task containers.
const (
	LabelTaskARN       = "com.amazonaws.ecs.task-arn"
	LabelContainerName = "com.amazonaws.ecs.container-name"
)

// ExecUser runs ensure with the rights to change routes; Windows images
// default to ContainerUser, which may not.
const ExecUser = "ContainerAdministrator"

// maxExecOutput bounds what is kept of an exec's stdout and stderr.
const maxExecOutput = 64 << 10

// Runtime is hostos.Containers over the Docker Engine API.
type Runtime struct {
	api *client.Client
}

var _ hostos.Containers = (*Runtime)(nil)

// New connects with the given options; with none, the platform default
// (the named pipe on Windows) or DOCKER_HOST applies. The client negotiates
// the API version with the daemon on its own.
func New(opts ...client.Opt) (*Runtime, error) {
	opts = append([]client.Opt{client.WithHostFromEnv()}, opts...)
	api, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating docker client: %w", err)
	}
	return &Runtime{api: api}, nil
}

// Close releases the client's connections.
func (r *Runtime) Close() error { return r.api.Close() }

// ListContainers lists running containers carrying the task-ARN label,
// with each one's isolation, which only inspect tells.
func (r *Runtime) ListContainers(ctx context.Context) ([]hostos.Container, error) {
	res, err := r.api.ContainerList(ctx, client.ContainerListOptions{
		Filters: make(client.Filters).Add("label", LabelTaskARN).Add("status", "running"),
	})
	if err != nil {
		return nil, fmt.Errorf("listing containers: %w", err)
	}
	out := make([]hostos.Container, 0, len(res.Items))
	for _, c := range res.Items {
		hc := hostos.Container{
			ID:               c.ID,
			TaskARN:          c.Labels[LabelTaskARN],
			ECSContainerName: c.Labels[LabelContainerName],
			NetworkMode:      c.HostConfig.NetworkMode,
		}
		inspected, err := r.api.ContainerInspect(ctx, c.ID, client.ContainerInspectOptions{})
		switch {
		case cerrdefs.IsNotFound(err):
			continue // gone since the list: nothing to check
		case err != nil:
			return nil, fmt.Errorf("inspecting container %s: %w", shortID(c.ID), err)
		case inspected.Container.HostConfig != nil:
			hc.Isolation = string(inspected.Container.HostConfig.Isolation)
		}
		out = append(out, hc)
	}
	return out, nil
}

// NATSubnet is the subnet of the Docker network named nat (what
// hostsetup.ps1 reads with docker network inspect nat).
func (r *Runtime) NATSubnet(ctx context.Context) (netip.Prefix, error) {
	res, err := r.api.NetworkInspect(ctx, "nat", client.NetworkInspectOptions{})
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("inspecting the nat network: %w", err)
	}
	for _, c := range res.Network.IPAM.Config {
		if c.Subnet.IsValid() && c.Subnet.Addr().Is4() {
			return c.Subnet.Masked(), nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("the nat network has no IPv4 subnet")
}

// CopyFile copies the host file src to dst inside the container, creating
// dst's folder (one level) in a folder that exists.
func (r *Runtime) CopyFile(ctx context.Context, containerID, src, dst string) error {
	parent, folder, file, err := splitDestination(dst)
	if err != nil {
		return err
	}
	archive, err := tarFile(src, folder, file)
	if err != nil {
		return err
	}
	_, err = r.api.CopyToContainer(ctx, containerID, client.CopyToContainerOptions{
		DestinationPath: parent,
		Content:         bytes.NewReader(archive),
	})
	if err != nil {
		return r.explain(ctx, containerID, fmt.Errorf("copying %s into %s: %w", src, shortID(containerID), err))
	}
	return nil
}

// Exec runs argv in the container as ExecUser and waits for it.
func (r *Runtime) Exec(ctx context.Context, containerID string, argv []string) (hostos.ExecResult, error) {
	created, err := r.api.ExecCreate(ctx, containerID, client.ExecCreateOptions{
		User: ExecUser, AttachStdout: true, AttachStderr: true, Cmd: argv,
	})
	if err != nil {
		return hostos.ExecResult{}, r.explain(ctx, containerID, fmt.Errorf("creating exec: %w", err))
	}
	attached, err := r.api.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return hostos.ExecResult{}, r.explain(ctx, containerID, fmt.Errorf("starting exec: %w", err))
	}
	defer attached.Close()
	// The stream does not watch ctx; closing it ends the read when ctx
	// does. The Engine has no call to stop the exec'd process itself, so
	// ensure is also given a --timeout of its own.
	stop := context.AfterFunc(ctx, func() { attached.Close() })
	defer stop()
	stdout := &capped{max: maxExecOutput}
	stderr := &capped{max: maxExecOutput}
	if _, err := stdcopy.StdCopy(stdout, stderr, attached.Reader); err != nil && !errors.Is(err, io.EOF) {
		if ctx.Err() != nil {
			return hostos.ExecResult{}, fmt.Errorf("reading exec output: %w", ctx.Err())
		}
		return hostos.ExecResult{}, r.explain(ctx, containerID, fmt.Errorf("reading exec output: %w", err))
	}
	if ctx.Err() != nil {
		return hostos.ExecResult{}, fmt.Errorf("reading exec output: %w", ctx.Err())
	}
	inspected, err := r.api.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		return hostos.ExecResult{}, r.explain(ctx, containerID, fmt.Errorf("inspecting exec: %w", err))
	}
	res := hostos.ExecResult{ExitCode: inspected.ExitCode, Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if inspected.Running {
		return res, fmt.Errorf("exec in %s still running after its output ended", shortID(containerID))
	}
	if len(res.Stdout) == 0 && len(res.Stderr) == 0 && res.ExitCode != 0 {
		// A failure without a word usually means the container went away
		// under us.
		return res, r.explain(ctx, containerID, fmt.Errorf("exec exited %d without output", res.ExitCode))
	}
	return res, nil
}

// explain marks err as hostos.ErrContainerNotRunning when the container has
// stopped or vanished, so a container exiting mid-repair is told apart from
// a failing repair.
func (r *Runtime) explain(ctx context.Context, containerID string, err error) error {
	res, ierr := r.api.ContainerInspect(ctx, containerID, client.ContainerInspectOptions{})
	switch {
	case cerrdefs.IsNotFound(ierr):
		return fmt.Errorf("%w: %w", hostos.ErrContainerNotRunning, err)
	case ierr == nil && (res.Container.State == nil || !res.Container.State.Running):
		return fmt.Errorf("%w: %w", hostos.ErrContainerNotRunning, err)
	default:
		return err
	}
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// capped keeps the first max bytes written and discards the rest.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
