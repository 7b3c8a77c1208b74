package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

func runEnsure(ctx context.Context, args []string, env Env) int {
	var f routeFlags
	fs := newFlagSet("ensure", env.Stderr)
	f.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(env.Stderr, "route-bootstrap ensure: %v\n", err)
		return report.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "route-bootstrap ensure: unexpected argument %q\n", fs.Arg(0))
		return report.ExitUsage
	}
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	return emit(env.Stdout, env.Stderr, f.format, ensureReport(ctx, env, f.ensureOptions()))
}

// parse runs the flag set; ok is false when Run should return code.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return report.ExitHealthy, false
		}
		return report.ExitUsage, false
	}
	return 0, true
}

// ensureReport runs ensure on env.OS and describes it as a report of one
// container.
func ensureReport(ctx context.Context, env Env, opts ensure.Options) *report.Report {
	r := report.New(report.CommandEnsure, opts.Check)
	s := &r.Summary
	s.ContainersChecked = 1
	res, err := ensure.Run(ctx, env.OS, opts)
	r.Routes = res.Routes
	s.RoutesAdded, s.RoutesReplaced = res.Added, res.Replaced
	for _, e := range res.Errors {
		r.AddProblem("%v", e)
	}
	if res.LackingBefore {
		s.ContainersLackingRouteBefore = 1
	}
	if res.LackingAfter {
		s.ContainersLackingRouteAfter = 1
	}
	switch {
	case err != nil:
		r.AddProblem("%v", err)
		s.Outcome = report.OutcomeError
	case res.LackingAfter:
		s.Outcome = report.OutcomeBroken
	case res.LackingBefore:
		s.ContainersRepaired = 1
		s.Outcome = report.OutcomeRepaired
	default:
		s.Outcome = report.OutcomeHealthy
	}
	return r
}
