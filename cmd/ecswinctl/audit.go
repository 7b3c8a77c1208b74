package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
)

var auditCommand = subcommand{
	name:    "audit",
	summary: "check a policy's fleet once and print the findings (changes nothing); exit 0 clean, 1 findings, 2 error or incomplete",
	run:     runAudit,
}

// Exit codes of audit and lint, for scripts and CI gates.
const (
	exitClean    = 0 // checked everything; nothing at warning level or worse (hints may be printed)
	exitFindings = 1 // at least one warning or error
	exitFailed   = 2 // could not check, or not everything: bad flags or policy, AWS unreachable, a cluster unreadable, checks timed out
)

// auditPollInterval is how often audit looks at the checks it sent.
const auditPollInterval = 2 * time.Second

type auditOptions struct {
	policy  string
	output  string
	timeout time.Duration
	wait    bool
	// poll is how often the checks are looked at; 0 means
	// auditPollInterval.
	poll  time.Duration
	trust trustOptions
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o auditOptions
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ecswinctl audit --policy FILE [-o table|json] [--timeout 5m] [--wait=false]")
		fmt.Fprintln(stderr, "\nOne pass over the policy's clusters. Whatever the policy's mode, audit runs route-bootstrap")
		fmt.Fprintln(stderr, "with --check only and changes nothing. Exit code: 0 everything checked and clean (hints")
		fmt.Fprintln(stderr, "allowed), 1 warnings or errors found, 2 the audit failed or saw only part of the fleet (a")
		fmt.Fprintln(stderr, "cluster unreadable, checks still running at --timeout). With --wait=false hosts are judged")
		fmt.Fprintln(stderr, "from ECS and earlier reports only.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.policy, "policy", "", "FleetPolicy YAML file (as for kubectl apply; see config/samples)")
	fs.StringVar(&o.output, "o", "table", "output format: table or json")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long to wait for the hosts' checks before printing what is known")
	fs.BoolVar(&o.wait, "wait", true, "wait for the route-bootstrap checks sent in this pass (progress on stderr)")
	o.trust.register(fs)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return failedUsage(code)
	}
	if o.output != "table" && o.output != "json" {
		fmt.Fprintf(stderr, "ecswinctl audit: -o must be table or json, not %q\n", o.output)
		return exitFailed
	}
	res, ref, err := auditPass(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ecswinctl audit: %v\n", err)
		return exitFailed
	}
	if err := printAudit(stdout, o.output, ref, res); err != nil {
		fmt.Fprintf(stderr, "ecswinctl audit: writing output: %v\n", err)
		return exitFailed
	}
	if why := incomplete(res, o.wait); why != "" {
		fmt.Fprintf(stderr, "ecswinctl audit: incomplete: %s\n", why)
		return exitFailed
	}
	if cliout.CountBySeverity(res.Findings, audit.SeverityWarning) > 0 {
		return exitFindings
	}
	return exitClean
}

// incomplete says why an audit did not see the whole fleet: a cluster
// that could not be read, or (when waiting) checks still running at the
// timeout. A clean exit must mean that everything was looked at.
func incomplete(res engine.Result, waited bool) string {
	for _, c := range res.Conditions {
		if c.Type == v1alpha1.ConditionInventorySynced && c.Status != "True" {
			return c.Message
		}
	}
	if n := res.Counts.RepairsInFlight; waited && n > 0 {
		return fmt.Sprintf("%d host(s) still being checked at the timeout", n)
	}
	return ""
}

// failedUsage maps parseFlags' codes onto audit's: -h is fine, the rest
// is a failure to check.
func failedUsage(code int) int {
	if code == exitOK {
		return exitClean
	}
	return exitFailed
}

// auditPass runs one dry-run pass and, with --wait, polls the checks it
// sent until they end or the timeout passes.
func auditPass(ctx context.Context, o auditOptions, progress io.Writer) (engine.Result, engine.PolicyRef, error) {
	p, ref, err := loadPolicy(o.policy)
	if err != nil {
		return engine.Result{}, ref, err
	}
	spec := p.Spec
	spec.Remediation.Mode = v1alpha1.ModeDryRun // audit never changes the fleet
	if o.poll <= 0 {
		o.poll = auditPollInterval
	}
	co := coreOptions{pollInterval: o.poll}
	if err := o.trust.apply(&co); err != nil {
		return engine.Result{}, ref, err
	}
	c, err := newCore(co)
	if err != nil {
		return engine.Result{}, ref, err
	}
	st := cliout.StyleFor(progress)
	start := time.Now()
	deadline := start.Add(o.timeout)
	res, err := c.engine.Pass(ctx, ref, spec)
	for err == nil && o.wait && res.Counts.RepairsInFlight > 0 {
		fmt.Fprintf(progress, "%s  checking %d host(s) with route-bootstrap --check: %s\n",
			st.Dim(cliout.Elapsed(time.Since(start))), res.Counts.RepairsInFlight, cliout.StatesLine(st, res))
		wait := min(res.RequeueAfter, time.Until(deadline))
		if wait <= 0 {
			fmt.Fprintf(progress, "timed out after %s with %d host(s) still being checked; their findings are missing below\n",
				o.timeout, res.Counts.RepairsInFlight)
			break
		}
		if !sleep(ctx, wait) {
			return res, ref, ctx.Err()
		}
		res, err = c.engine.Pass(ctx, ref, spec)
	}
	if err != nil {
		return res, ref, fmt.Errorf("pass over %s: %w", ref, err)
	}
	return res, ref, nil
}

// sleep waits d or until ctx ends; false means ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func printAudit(w io.Writer, format string, ref engine.PolicyRef, res engine.Result) error {
	if format == "json" {
		return cliout.WriteJSON(w, cliout.NewReport(ref.String(), res))
	}
	st := cliout.StyleFor(w)
	c := res.Counts
	fmt.Fprintf(w, "%s %s: %d cluster(s), %d Windows of %d container instance(s), %d with task roles on\n",
		st.Bold("policy"), ref, c.Clusters, c.WindowsInstances, c.ContainerInstances, c.TaskRoleEnabled)
	fmt.Fprintf(w, "hosts:  %s\n", cliout.StatesLine(st, res))
	fmt.Fprintln(w, "checks:")
	for _, cond := range res.Conditions {
		fmt.Fprintf(w, "  %s %-23s %s: %s\n", conditionMark(st, string(cond.Status)), cond.Type, cond.Reason, cond.Message)
	}
	fmt.Fprintln(w)
	if err := cliout.FindingsTable(w, st, res.Findings); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", cliout.FindingsSummary(res.Findings))
	return err
}

func conditionMark(st cliout.Style, status string) string {
	switch status {
	case "True":
		return st.Good("✔")
	case "False":
		return st.Bad("✘")
	}
	return st.Warn("?")
}
