package cli

import (
	"context"
	"fmt"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// runExec is the entrypoint wrapper: ensure (report to stderr, since stdout
// belongs to the application), then run the application. A failed ensure
// still starts the application unless --require-route says otherwise, so a
// wrapper never takes down a workload that would have run without it.
func runExec(ctx context.Context, args []string, env Env) int {
	var f routeFlags
	fs := newFlagSet("exec", env.Stderr)
	f.register(fs)
	requireRoute := fs.Bool("require-route", false, "do not start the application when the routes could not be made")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(env.Stderr, "route-bootstrap exec: %v\n", err)
		return report.ExitUsage
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintln(env.Stderr, "route-bootstrap exec: no command given (exec [flags] -- CMD ARGS)")
		return report.ExitUsage
	}
	if env.RunApp == nil {
		fmt.Fprintln(env.Stderr, "route-bootstrap exec: running applications is not available here")
		return report.ExitError
	}
	ectx, cancel := f.withTimeout(ctx)
	r := ensureReport(ectx, env, f.ensureOptions())
	cancel()
	code := emit(env.Stderr, env.Stderr, f.format, r)
	if *requireRoute && (code == report.ExitBroken || code == report.ExitError) {
		fmt.Fprintln(env.Stderr, "route-bootstrap exec: routes not in place; not starting the application (--require-route)")
		return code
	}
	exit, err := env.RunApp(ctx, argv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "route-bootstrap exec: %v\n", err)
		return report.ExitError
	}
	return exit
}
