package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

const usage = `usage: route-bootstrap <command> [flags]

commands:
  ensure [--check]          add the credential routes in this network compartment
  host [--check]            check the credential proxy and every NAT task container
  exec [flags] -- CMD ARGS  ensure, then run CMD (an image entrypoint wrapper)

Run "route-bootstrap <command> -h" for a command's flags.
Exit codes: 0 healthy, 3 repaired, 4 still broken, 5 needs an operator
(findings route-bootstrap only reports), 6 error, 7 usage, 8 busy (host:
another run holds the machine), 9 drift reported (host: only drift the run
was not allowed to change, under --check or without --repair-proxy).
`

// Run executes one command line (without the program name) and returns the
// process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return report.ExitUsage
	}
	switch args[0] {
	case "ensure":
		return runEnsure(ctx, args[1:], env)
	case "host":
		return runHost(ctx, args[1:], env)
	case "exec":
		return runExec(ctx, args[1:], env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return report.ExitHealthy
	default:
		fmt.Fprintf(env.Stderr, "route-bootstrap: unknown command %q\n\n%s", args[0], usage)
		return report.ExitUsage
	}
}

// emit prints the report in the chosen format and returns its exit code.
func emit(w, errw io.Writer, format string, r *report.Report) int {
	return emitWith(w, errw, format, r, report.ExitCode(r.Summary.Outcome))
}

// emitWith prints the report and returns code, or ExitError when the
// report could not be written.
func emitWith(w, errw io.Writer, format string, r *report.Report, code int) int {
	var err error
	if format == formatText {
		err = r.WriteText(w)
	} else {
		err = r.Encode(w)
	}
	if err != nil {
		fmt.Fprintf(errw, "route-bootstrap: writing report: %v\n", err)
		return report.ExitError
	}
	return code
}
