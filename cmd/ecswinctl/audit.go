package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
)

// auditPollInterval is how often audit looks at the checks it sent.
const auditPollInterval = 2 * time.Second

type auditOptions struct {
	policy  string
	output  *choiceValue
	timeout *durationValue
	wait    bool
	// poll is how often the checks are looked at; 0 means
	// auditPollInterval.
	poll  time.Duration
	trust trustOptions
}

func newAuditCommand(s streams) *cobra.Command {
	o := auditOptions{timeout: &durationValue{value: 5 * time.Minute, min: time.Second}}
	cmd := &cobra.Command{
		Use:   "audit --policy FILE",
		Short: "Check the fleets of a policy file once and print the findings (changes nothing)",
		Long: `One pass over each policy's clusters: every FleetPolicy in the file is audited
(documents separated by ---, or a List as kubectl get -o yaml prints it).
Whatever a policy's mode, audit runs route-bootstrap with --check only and
changes nothing. It waits for the checks it sent, up to --timeout, with
progress on stderr. With --wait=false it sends nothing at all to SSM (no
check, no document) and judges hosts from ECS and the runs SSM already
knows of.

Exit code: 0 everything checked and clean (hints allowed), 1 warnings or
errors found, 2 the audit failed or saw only part of the fleet (a policy that
does not validate, AWS unreachable, a cluster unreadable, checks still
running at --timeout). With -o json, stdout holds one AuditReport whatever
happens; its "error" is set exactly when the exit code is 2.`,
		Example: `  ecswinctl audit --policy prod.yaml
  ecswinctl audit -f policies.yaml -o json --timeout 10m
  kubectl get fleetpolicies -o yaml | ecswinctl audit -f -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return exitWith(runAudit(cmd.Context(), o, s))
		},
	}
	policyFlag(cmd, &o.policy)
	o.output = outputFlag(cmd)
	cmd.Flags().Var(o.timeout, "timeout", "how long to wait for the hosts' checks before printing what is known")
	cmd.Flags().BoolVar(&o.wait, "wait", true, "send route-bootstrap checks and wait for them (progress on stderr); false sends nothing to SSM")
	o.trust.register(cmd.Flags())
	return cmd
}

// policyAudit is one policy's audit: its result, or why there is none or
// only part of one.
type policyAudit struct {
	ref engine.PolicyRef
	res engine.Result
	why string
	ok  bool // the pass ran; res is worth printing
}

func runAudit(ctx context.Context, o auditOptions, s streams) int {
	rep := cliout.NewAuditReport()
	policies, err := loadPolicies(o.policy, s.in)
	if err != nil {
		fmt.Fprintf(s.err, "ecswinctl audit: %v\n", err)
		code := rep.Finish(cliout.ErrorOf(err))
		return printAuditReport(s, o, rep, nil, code)
	}
	if o.poll <= 0 {
		o.poll = auditPollInterval
	}
	// Without waiting, nobody would read the checks: send none.
	co := coreOptions{pollInterval: o.poll, readOnly: !o.wait}
	err = o.trust.apply(&co)
	var c *core
	if err == nil {
		c, err = newCore(co)
	}
	if err != nil {
		fmt.Fprintf(s.err, "ecswinctl audit: %v\n", err)
		code := rep.Finish(cliout.ErrorOf(err))
		return printAuditReport(s, o, rep, nil, code)
	}
	audits := make([]policyAudit, 0, len(policies))
	for _, p := range policies {
		a := policyAudit{ref: refOf(p)}
		res, err := auditPass(ctx, c, a.ref, p.Spec, o, s.err)
		switch {
		case err != nil:
			a.why = err.Error()
		default:
			a.res, a.ok = res, true
			a.why = incomplete(res, o.wait)
		}
		if a.why != "" {
			fmt.Fprintf(s.err, "ecswinctl audit: %s: incomplete: %s\n", a.ref, a.why)
		}
		rep.AddPolicy(a.ref.String(), a.res, a.why)
		audits = append(audits, a)
	}
	return printAuditReport(s, o, rep, audits, rep.Finish(nil))
}

func printAuditReport(s streams, o auditOptions, rep *cliout.AuditReport, audits []policyAudit, code int) int {
	var err error
	if o.output.value == "json" {
		err = cliout.WriteJSON(s.out, rep)
	} else {
		err = printAuditTables(s.out, audits, rep)
	}
	if err != nil {
		fmt.Fprintf(s.err, "ecswinctl audit: writing output: %v\n", err)
		return cliout.ExitFailed
	}
	return code
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

// auditPass runs one dry-run pass and, with --wait, polls the checks it
// sent until they end or the timeout passes.
func auditPass(ctx context.Context, c *core, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, o auditOptions, progress io.Writer) (engine.Result, error) {
	spec.Remediation.Mode = v1alpha1.ModeDryRun // audit never changes the fleet
	st := cliout.StyleFor(progress)
	start := time.Now()
	deadline := start.Add(o.timeout.value)
	res, err := c.engine.Pass(ctx, ref, spec)
	for err == nil && o.wait && res.Counts.RepairsInFlight > 0 {
		fmt.Fprintf(progress, "%s  %s: checking %d host(s) with route-bootstrap --check: %s\n",
			st.Dim(cliout.Elapsed(time.Since(start))), ref, res.Counts.RepairsInFlight, cliout.StatesLine(st, res))
		wait := min(res.RequeueAfter, time.Until(deadline))
		if wait <= 0 {
			fmt.Fprintf(progress, "timed out after %s with %d host(s) still being checked; their findings are missing below\n",
				o.timeout.value, res.Counts.RepairsInFlight)
			break
		}
		if !sleep(ctx, wait) {
			return res, ctx.Err()
		}
		res, err = c.engine.Pass(ctx, ref, spec)
	}
	if err != nil {
		return res, fmt.Errorf("pass over %s: %w", ref, err)
	}
	return res, nil
}

// sleep waits d or until ctx ends; false means ctx ended.
func sleep(ctx context.Context, d time.Duration) bool { return sleepOrWake(ctx, d, nil) }

// printAuditTables prints each policy that was checked, then, for more
// than one, the findings of all of them counted together.
func printAuditTables(w io.Writer, audits []policyAudit, rep *cliout.AuditReport) error {
	st := cliout.StyleFor(w)
	printed := 0
	for _, a := range audits {
		if !a.ok {
			continue
		}
		if printed > 0 {
			fmt.Fprintln(w)
		}
		printed++
		if err := printPolicyAudit(w, st, a); err != nil {
			return err
		}
	}
	if len(audits) > 1 {
		sum := rep.Summary
		_, err := fmt.Fprintf(w, "\n%s %d policies: %d errors, %d warnings, %d hints\n", st.Bold("all"), len(audits), sum.Errors, sum.Warnings, sum.Hints)
		return err
	}
	return nil
}

func printPolicyAudit(w io.Writer, st cliout.Style, a policyAudit) error {
	c := a.res.Counts
	fmt.Fprintf(w, "%s %s: %d cluster(s), %d Windows of %d container instance(s), %d with task roles on\n",
		st.Bold("policy"), a.ref, c.Clusters, c.WindowsInstances, c.ContainerInstances, c.TaskRoleEnabled)
	fmt.Fprintf(w, "hosts:  %s\n", cliout.StatesLine(st, a.res))
	fmt.Fprintln(w, "checks:")
	for _, cond := range a.res.Conditions {
		fmt.Fprintf(w, "  %s %-23s %s: %s\n", conditionMark(st, string(cond.Status)), cond.Type, cond.Reason, cond.Message)
	}
	fmt.Fprintln(w)
	if err := cliout.FindingsTable(w, st, a.res.Findings); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", cliout.FindingsSummary(a.res.Findings))
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
