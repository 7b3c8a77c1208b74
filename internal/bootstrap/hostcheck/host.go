package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// DefaultContainerPath is where the binary is copied inside containers. The
// folder is created by the copy, so it works on nanoserver images.
const DefaultContainerPath = `C:\ecswin\route-bootstrap.exe`

// DefaultParallel bounds concurrent container repairs.
const DefaultParallel = 4

// Options steer the host command.
type Options struct {
	// Check changes no route and does not repair the proxy.
	Check bool
	// RepairProxy allows deleting the proxy interface and re-initialising
	// the agent, which restarts it.
	RepairProxy bool
	// Executable is this binary's path on the host, copied into containers.
	Executable string
	// ContainerPath is its path inside containers.
	ContainerPath string
	// EnsureFlags are passed to ensure in each container after "ensure".
	EnsureFlags []string
	// Parallel bounds concurrent container checks.
	Parallel int
}

// Run checks the host and its containers and returns the report.
func Run(ctx context.Context, os hostos.OS, opts Options) *report.Report {
	if opts.ContainerPath == "" {
		opts.ContainerPath = DefaultContainerPath
	}
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	r := report.New(report.CommandHost, opts.Check)
	if id, err := os.InstanceID(ctx); err != nil {
		r.AddProblem("reading instance identity: %v", err)
	} else {
		r.Summary.InstanceID = id
	}
	proxyFailed := checkAndRepairProxy(ctx, os, opts, r)

	containers, err := os.ListContainers(ctx)
	if err != nil {
		r.AddProblem("%v", err)
		r.Summary.Outcome = report.OutcomeError
		return r
	}
	results := checkContainers(ctx, os, opts, containers)
	for _, res := range results {
		res.addTo(r)
	}
	r.Summary.Outcome = hostOutcome(r.Summary, proxyFailed)
	return r
}

// checkAndRepairProxy fills the proxy part; it returns true when the check
// itself failed.
func checkAndRepairProxy(ctx context.Context, os hostos.OS, opts Options, r *report.Report) bool {
	pc := CheckProxy(ctx, os)
	if !pc.Healthy() && opts.RepairProxy && !opts.Check {
		if err := os.RepairProxy(ctx); err != nil {
			r.AddProblem("repairing credential proxy: %v", err)
		} else {
			after := CheckProxy(ctx, os)
			r.Summary.ProxyRepaired = after.Healthy()
			pc = after
		}
	}
	for _, err := range pc.Errors {
		r.AddProblem("%v", err)
	}
	details := pc.Details
	r.Proxy = &details
	r.Summary.ProxyHealthy = pc.Healthy()
	r.Summary.ProxyReasons = pc.Reasons
	return len(pc.Errors) > 0
}

func hostOutcome(s report.Summary, proxyCheckFailed bool) report.Outcome {
	switch {
	case proxyCheckFailed && !s.ProxyHealthy:
		return report.OutcomeError
	case !s.ProxyHealthy || s.ContainersLackingRouteAfter > 0 || s.ContainersFailed > 0:
		return report.OutcomeBroken
	case s.ProxyRepaired || s.ContainersRepaired > 0:
		return report.OutcomeRepaired
	default:
		return report.OutcomeHealthy
	}
}

// containerResult is one container's outcome.
type containerResult struct {
	c       hostos.Container
	kind    Kind
	ensure  *report.Report
	err     error
	stopped bool
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
		wg.Add(1)
		sem <- struct{}{}
		go func(res *containerResult) {
			defer func() { <-sem; wg.Done() }()
			res.ensure, res.err = ensureIn(ctx, os, opts, res.c.ID)
			res.stopped = errors.Is(res.err, hostos.ErrContainerNotRunning)
		}(&results[i])
	}
	wg.Wait()
	return results
}

// ensureIn copies the binary into the container and runs ensure there.
func ensureIn(ctx context.Context, os hostos.OS, opts Options, id string) (*report.Report, error) {
	if err := os.CopyFile(ctx, id, opts.Executable, opts.ContainerPath); err != nil {
		return nil, fmt.Errorf("copying route-bootstrap in: %w", err)
	}
	argv := append([]string{opts.ContainerPath, "ensure", "--format", "json"}, opts.EnsureFlags...)
	if opts.Check {
		argv = append(argv, "--check")
	}
	res, err := os.Exec(ctx, id, argv)
	if err != nil {
		return nil, fmt.Errorf("running ensure: %w", err)
	}
	rep, err := report.Parse(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("ensure exited %d: %w: %s", res.ExitCode, err, firstLine(res.Stderr))
	}
	return rep, nil
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
	case res.kind != KindNAT:
		s.ContainersSkipped++
		return // skipped containers are counted, not listed
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
