package hostcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// DefaultContainerRoot is the folder under which each check copies the
// binary, into a folder of its own with a random name. C:\Windows exists in
// every Windows image (nanoserver included) and an unprivileged container
// user (ContainerUser) can neither create folders in it nor change what is
// created there, so the copy can be neither planted in advance nor swapped
// before it runs; a fixed folder at the drive root (C:\ecswin) could be
// both, since Authenticated Users may create folders there and modify
// what they create.
const DefaultContainerRoot = `C:\Windows`

// DefaultParallel bounds concurrent container checks.
const DefaultParallel = 4

// DefaultExecTimeout bounds one container's check: copy, owner check,
// ensure and clean-up.
const DefaultExecTimeout = 60 * time.Second

// cleanupTimeout bounds the removal of the copy, which runs even when the
// check itself timed out.
const cleanupTimeout = 15 * time.Second

// binaryName is the copy's file name inside its random folder.
const binaryName = "route-bootstrap.exe"

// containerResult is one container's outcome.
type containerResult struct {
	c       hostos.Container
	kind    Kind
	ensure  *report.Report
	err     error
	stopped bool
	// notRun: the run's deadline came before this container's turn.
	notRun bool
	// leftover names a copy the clean-up could not remove.
	leftover string
}

func checkContainers(ctx context.Context, os hostos.OS, opts Options, cs []hostos.Container) []containerResult {
	results := make([]containerResult, len(cs))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, c := range cs {
		results[i] = containerResult{c: c, kind: Classify(c)}
		if results[i].kind != KindNAT {
			continue
		}
		acquired := false
		select {
		case sem <- struct{}{}:
			acquired = true
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			if acquired { // both cases may be ready: give the slot back
				<-sem
			}
			results[i].notRun = true
			continue
		}
		wg.Add(1)
		go func(res *containerResult) {
			defer func() { <-sem; wg.Done() }()
			res.ensure, res.leftover, res.err = checkOne(ctx, os, opts, res.c.ID)
			res.stopped = errors.Is(res.err, hostos.ErrContainerNotRunning)
		}(&results[i])
	}
	wg.Wait()
	return results
}

// checkOne copies the binary into the container under a random name,
// checks who owns the copy, runs ensure and removes the copy, all within
// opts.ExecTimeout; the removal gets a little time of its own even when
// the check used all of it.
func checkOne(run context.Context, os hostos.OS, opts Options, id string) (rep *report.Report, leftover string, err error) {
	ctx, cancel := context.WithTimeout(run, opts.ExecTimeout)
	defer cancel()
	timedOut := func(err error) error {
		switch {
		case run.Err() != nil:
			return fmt.Errorf("stopped at the run's deadline (--timeout): %w", err)
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return fmt.Errorf("timed out after %s (--exec-timeout): %w", opts.ExecTimeout, err)
		}
		return err
	}
	dir, err := randomDir(opts.ContainerRoot)
	if err != nil {
		return nil, "", err
	}
	path := dir + `\` + binaryName
	if err := os.CopyFile(ctx, id, opts.Executable, path); err != nil {
		return nil, "", timedOut(fmt.Errorf("copying route-bootstrap in: %w", err))
	}
	defer func() {
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer ccancel()
		if cerr := removeCopy(cctx, os, id, dir); cerr != nil && !errors.Is(cerr, hostos.ErrContainerNotRunning) {
			leftover = dir
		}
	}()
	if err := checkOwner(ctx, os, id, path); err != nil {
		return nil, "", timedOut(err)
	}
	argv := append([]string{path, "ensure", "--format", "json", "--timeout", ensureTimeout(opts.ExecTimeout).String()}, opts.EnsureFlags...)
	if opts.Check {
		argv = append(argv, "--check")
	}
	res, err := os.Exec(ctx, id, argv)
	if err != nil {
		return nil, "", timedOut(fmt.Errorf("running ensure: %w", err))
	}
	rep, err = report.Parse(res.Stdout)
	if err != nil {
		return nil, "", fmt.Errorf("ensure exited %d: %w: %s", res.ExitCode, err, firstLine(res.Stderr))
	}
	return rep, "", nil
}

// ensureTimeout leaves ensure inside the container a few seconds less than
// the whole check, so it reports before the host gives up on it (the
// Docker Engine has no call to stop an exec'd process).
func ensureTimeout(exec time.Duration) time.Duration {
	return max(exec-5*time.Second, exec/2)
}

func randomDir(root string) (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("choosing a random folder name: %w", err)
	}
	return strings.TrimRight(root, `\`) + `\ecswin-` + hex.EncodeToString(b[:]), nil
}

// checkOwner refuses a copy that someone other than SYSTEM or an
// administrator owns, through cmd.exe, which every Windows image has.
func checkOwner(ctx context.Context, os hostos.OS, id, path string) error {
	res, err := os.Exec(ctx, id, []string{"cmd.exe", "/d", "/c", "dir", "/q", "/a:-d", path})
	if err != nil {
		return fmt.Errorf("checking the copy's owner: %w", err)
	}
	owner, ok := ParseDirOwner(string(res.Stdout), binaryName)
	switch {
	case !ok:
		return fmt.Errorf("checking the copy's owner: dir /q exited %d and printed no owner for %s", res.ExitCode, path)
	case !TrustedOwner(owner):
		return fmt.Errorf("refusing to run the copy at %s: it is owned by %q, not SYSTEM or an administrator", path, owner)
	}
	return nil
}

func removeCopy(ctx context.Context, os hostos.OS, id, dir string) error {
	res, err := os.Exec(ctx, id, []string{"cmd.exe", "/d", "/c", "rmdir", "/s", "/q", dir})
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("rmdir exited %d: %s", res.ExitCode, firstLine(res.Stderr))
	}
	return nil
}

func firstLine(b []byte) string {
	for i, c := range b {
		if c == '\n' || c == '\r' {
			return string(b[:i])
		}
	}
	return string(b)
}

func (res containerResult) addTo(r *report.Report) {
	line := report.Container{ID: shortID(res.c.ID), TaskARN: res.c.TaskARN}
	s := &r.Summary
	switch {
	case res.kind == KindHyperV:
		s.ContainersHyperV++
		line.Status, line.Message = report.ContainerSkipped, "Hyper-V isolated: the Docker Engine cannot copy route-bootstrap into it while it runs"
	case res.kind != KindNAT:
		s.ContainersSkipped++
		return // skipped containers are counted, not listed
	case res.notRun:
		s.ContainersChecked++
		s.ContainersFailed++
		line.Status, line.Message = report.ContainerFailed, "not checked: the run's deadline (--timeout) came first"
	case res.stopped:
		// A container that stopped meanwhile no longer needs a route; its
		// replacement is checked on the next run.
		s.ContainersSkipped++
		line.Status, line.Message = report.ContainerSkipped, "stopped during check: "+res.err.Error()
	case res.err != nil:
		s.ContainersChecked++
		s.ContainersFailed++
		line.Status, line.Message = report.ContainerFailed, res.err.Error()
	default:
		s.ContainersChecked++
		line.Status = addEnsure(s, res.ensure.Summary)
		if res.ensure.Summary.Outcome == report.OutcomeError && len(res.ensure.Problems) > 0 {
			line.Message = res.ensure.Problems[0]
		}
	}
	if res.leftover != "" {
		line.Message = strings.TrimPrefix(line.Message+"; could not remove "+res.leftover, "; ")
	}
	r.AddContainer(line)
}

// addEnsure folds one container's ensure summary into the host summary.
func addEnsure(s *report.Summary, e report.Summary) report.ContainerStatus {
	s.RoutesAdded += e.RoutesAdded
	s.RoutesReplaced += e.RoutesReplaced
	lackingBefore := e.ContainersLackingRouteBefore > 0
	lackingAfter := e.ContainersLackingRouteAfter > 0
	if lackingBefore {
		s.ContainersLackingRouteBefore++
	}
	switch {
	case e.Outcome == report.OutcomeError:
		s.ContainersFailed++
		return report.ContainerFailed
	case lackingAfter:
		s.ContainersLackingRouteAfter++
		return report.ContainerLacking
	case lackingBefore:
		s.ContainersRepaired++
		return report.ContainerRepaired
	default:
		return report.ContainerOK
	}
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
