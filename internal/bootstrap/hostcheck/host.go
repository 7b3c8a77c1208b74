package hostcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// Options steer the host command.
type Options struct {
	// Check changes no route and does not repair the proxy.
	Check bool
	// RepairProxy allows making the credential endpoint's missing parts
	// again (never restarting the agent).
	RepairProxy bool
	// Executable is this binary's path on the host, copied into containers.
	Executable string
	// ContainerRoot is the folder inside containers under which each
	// check makes a folder with a random name for the copy.
	ContainerRoot string
	// EnsureFlags are passed to ensure in each container after "ensure".
	EnsureFlags []string
	// Parallel bounds concurrent container checks.
	Parallel int
	// ExecTimeout bounds one container's check.
	ExecTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.ContainerRoot == "" {
		o.ContainerRoot = DefaultContainerRoot
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.ExecTimeout <= 0 {
		o.ExecTimeout = DefaultExecTimeout
	}
	return o
}

// Run checks the host and its containers and returns the report. A
// deadline on ctx bounds it: containers not reached by then are reported
// failed, and the report is still written.
func Run(ctx context.Context, os hostos.OS, opts Options) *report.Report {
	opts = opts.withDefaults()
	r := report.New(report.CommandHost, opts.Check)
	if id, err := os.InstanceID(ctx); err != nil {
		r.AddProblem("reading instance identity: %v", err)
	} else {
		r.Summary.InstanceID = id
	}
	pc := checkAndRepairProxy(ctx, os, opts, r)

	containers, err := os.ListContainers(ctx)
	if err != nil {
		r.AddProblem("%v", err)
		r.Summary.Outcome = report.OutcomeError
		return r
	}
	for _, res := range checkContainers(ctx, os, opts, containers) {
		res.addTo(r)
	}
	r.Summary.Outcome = hostOutcome(r.Summary, pc)
	return r
}

// checkAndRepairProxy fills the proxy part and returns the final check.
// The repair runs only when allowed, only for reasons it fixes, never when
// the check saw something it must not act on, and only with RepairBudget
// of the run left; it then has RepairBudget of its own.
func checkAndRepairProxy(ctx context.Context, os hostos.OS, opts Options, r *report.Report) ProxyCheck {
	pc := CheckProxy(ctx, os)
	var repairs []string
	if opts.RepairProxy && !opts.Check && pc.Repairable() {
		switch deadline, ok := ctx.Deadline(); {
		case pc.Blocked():
			r.AddProblem("credential proxy not repaired: %s", blockedWhy(pc))
		case ok && time.Until(deadline) < RepairBudget:
			r.AddProblem("credential proxy not repaired: less than %s of the run left (--timeout)", RepairBudget)
		default:
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RepairBudget)
			err := repairProxy(rctx, os, pc, &repairs)
			cancel()
			if err != nil {
				r.AddProblem("repairing credential proxy: %v", err)
			}
			after := CheckProxy(ctx, os)
			r.Summary.ProxyRepaired = err == nil && after.Healthy()
			pc = after
		}
	}
	for _, err := range pc.Errors {
		r.AddProblem("%v", err)
	}
	details := pc.Details
	details.Repairs = repairs
	r.Proxy = &details
	r.Summary.ProxyHealthy = pc.Healthy()
	r.Summary.ProxyReasons = pc.Reasons
	return pc
}

func blockedWhy(pc ProxyCheck) string {
	for _, reason := range pc.Reasons {
		if reason.Blocks() {
			return fmt.Sprintf("%s: %s", reason, reason.Advice())
		}
	}
	return "the check is incomplete"
}

// hostOutcome: a failed check is an error; drift that route-bootstrap
// repairs (routes, containers, repairable proxy faults it may act on)
// makes the host Broken; proxy faults it only reports, or must not act on,
// make it NeedsOperator.
func hostOutcome(s report.Summary, pc ProxyCheck) report.Outcome {
	switch {
	case len(pc.Errors) > 0 && !s.ProxyHealthy:
		return report.OutcomeError
	case s.ContainersLackingRouteAfter > 0 || s.ContainersFailed > 0 || (!s.ProxyHealthy && !report.ProxyNeedsOperator(pc.Reasons)):
		return report.OutcomeBroken
	case !s.ProxyHealthy:
		return report.OutcomeNeedsOperator
	case s.ProxyRepaired || s.ContainersRepaired > 0:
		return report.OutcomeRepaired
	default:
		return report.OutcomeHealthy
	}
}
