package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecswin/ecswin/internal/bootstrap/hostcheck"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// Flag names shared with the SSM document's argument mapping.
const (
	FlagRepairProxy = "--repair-proxy"
	FlagExecTimeout = "--exec-timeout"
)

func runHost(ctx context.Context, args []string, env Env) int {
	var f routeFlags
	fs := newFlagSet("host", env.Stderr)
	f.register(fs)
	repairProxy := fs.Bool(name(FlagRepairProxy), false,
		"when the credential proxy is broken in a way re-creating its endpoint fixes, make the missing parts again (never restarts the agent)")
	containerRoot := fs.String("container-root", hostcheck.DefaultContainerRoot,
		"folder inside containers under which each check makes a folder with a random name for its copy of this binary")
	parallel := fs.Int("parallel", hostcheck.DefaultParallel, "containers checked at once")
	execTimeout := fs.Duration(name(FlagExecTimeout), hostcheck.DefaultExecTimeout, "bound on one container's check")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(env.Stderr, "route-bootstrap host: %v\n", err)
		return report.ExitUsage
	}
	if fs.NArg() > 0 || *parallel < 1 || *execTimeout <= 0 {
		fmt.Fprintf(env.Stderr, "route-bootstrap host: unexpected argument, --parallel below 1 or --exec-timeout not positive\n")
		return report.ExitUsage
	}
	release, err := env.OS.AcquireRun(ctx)
	switch {
	case errors.Is(err, hostos.ErrBusy):
		fmt.Fprintf(env.Stderr, "route-bootstrap host: busy: %v; nothing was checked\n", err)
		return report.ExitBusy
	case err != nil:
		r := report.New(report.CommandHost, f.check)
		r.Summary.Outcome = report.OutcomeError
		r.AddProblem("starting the run: %v", err)
		return emit(env.Stdout, env.Stderr, f.format, r)
	}
	defer release()
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	r := hostcheck.Run(ctx, env.OS, hostcheck.Options{
		Check:         f.check,
		RepairProxy:   *repairProxy,
		Executable:    env.Executable,
		ContainerRoot: *containerRoot,
		EnsureFlags:   f.ensureFlags(),
		Parallel:      *parallel,
		ExecTimeout:   *execTimeout,
	})
	return emitWith(env.Stdout, env.Stderr, f.format, r, report.HostExitCode(r.Summary, *repairProxy && !f.check))
}
