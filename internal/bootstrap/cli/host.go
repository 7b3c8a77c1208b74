package cli

import (
	"context"
	"fmt"

	"github.com/ecswin/ecswin/internal/bootstrap/hostcheck"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

func runHost(ctx context.Context, args []string, env Env) int {
	var f routeFlags
	fs := newFlagSet("host", env.Stderr)
	f.register(fs)
	repairProxy := fs.Bool(name(FlagRepairProxy), false,
		"when the credential proxy is broken, delete the proxy interface and initialise the agent again (restarts the agent)")
	containerPath := fs.String("container-path", hostcheck.DefaultContainerPath, "where to copy this binary inside containers")
	parallel := fs.Int("parallel", hostcheck.DefaultParallel, "containers checked at once")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(env.Stderr, "route-bootstrap host: %v\n", err)
		return report.ExitUsage
	}
	if fs.NArg() > 0 || *parallel < 1 {
		fmt.Fprintf(env.Stderr, "route-bootstrap host: unexpected argument or --parallel below 1\n")
		return report.ExitUsage
	}
	r := hostcheck.Run(ctx, env.OS, hostcheck.Options{
		Check:         f.check,
		RepairProxy:   *repairProxy,
		Executable:    env.Executable,
		ContainerPath: *containerPath,
		EnsureFlags:   f.ensureFlags(),
		Parallel:      *parallel,
	})
	return emit(env.Stdout, env.Stderr, f.format, r)
}
