package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// demoFindingsShown bounds the findings table at the end of the demo.
const demoFindingsShown = 12

func (d *demoRun) intro(sc *fleetsim.Scenario, url string, s fleetsim.Summary) {
	st, w := d.st, d.out
	fmt.Fprintf(w, "%s  simulated fleet %q (seed %d), ECS and SSM served at %s\n",
		st.Bold("ecswin demo"), sc.Name, d.sim.Scenario().Seed, url)
	fmt.Fprintf(w, "  %d clusters · %d container instances, %d of them Windows · %d running tasks\n",
		s.Clusters, s.Instances, s.WindowsHosts, s.RunningTasks)
	fmt.Fprintf(w, "  already broken: %s on %s · %s · %s · %s\n",
		st.Bad(fmt.Sprintf("%d containers lack the credential route", s.ContainersLackingRoute)),
		countOf(s.HostsLackingRoute, "host"), countOf(s.DeadProxies, "dead credential proxy", "dead credential proxies"),
		countOf(s.SSMOffline, "SSM agent offline", "SSM agents offline"), countOf(s.Port80Tasks, "task on host port 80 (any OS)", "tasks on host port 80 (any OS)"))
	for _, e := range sc.Events {
		where := "any cluster"
		if e.Cluster != "" {
			where = e.Cluster
		}
		fmt.Fprintf(w, "  scheduled: %s %s in %s at %s\n", e.Action, countOf(max(e.Count, 1), "host"), where,
			cliout.Elapsed(time.Duration(e.After)))
	}
	fmt.Fprintf(w, "  policy: Enforce (routes and credential proxies), inventory every %s, SSM polled every %s\n\n",
		d.opts.inventory, d.opts.poll)
}

func (d *demoRun) header() {
	fmt.Fprintln(d.out, d.st.Dim("  TIME    PASS  HOSTS, AS ECSWIN SEES THEM                                  WHAT HAPPENED"))
}

// printPass is one line per pass: the engine's host states and what
// the pass did, then what changed on the fleet, as the simulator sees it.
func (d *demoRun) printPass(res engine.Result) {
	st := d.st
	var did []string
	if res.Inventoried {
		did = append(did, st.Dim("inventory"))
	}
	if res.HostsTargeted > 0 {
		did = append(did, st.Warn(fmt.Sprintf("sent route-bootstrap to %s in %s", countOf(res.HostsTargeted, "host"), countOf(res.CommandsSent, "command"))))
	}
	if res.ReadyAttributesSet+res.ReadyAttributesRemoved > 0 {
		did = append(did, fmt.Sprintf("credentials=ready +%d/-%d", res.ReadyAttributesSet, res.ReadyAttributesRemoved))
	}
	fixed, broke := d.observe()
	if fixed > 0 {
		did = append(did, st.Good(fmt.Sprintf("fleet: %s fixed", countOf(fixed, "host"))))
	}
	if broke > 0 {
		did = append(did, st.Bad(fmt.Sprintf("fleet: %s broke", countOf(broke, "host"))))
	}
	if len(did) == 0 {
		did = append(did, st.Dim("polled SSM"))
	}
	fmt.Fprintf(d.out, "  %s  #%-3d  %s  %s\n", st.Dim(cliout.Elapsed(time.Since(d.start))), d.passes,
		cliout.PadRight(cliout.StatesLine(st, res), 56), strings.Join(did, st.Dim(" · ")))
}

// eventEffects says what a scenario action does to a host, for the
// line that reports it.
var eventEffects = map[string]string{
	"reboot":      "the credential proxy dies and ECS restarts the tasks without the route",
	"breakProxy":  "the credential proxy dies",
	"stripRoutes": "running containers lose the route",
	"startTasks":  "new tasks start without the route",
}

// printFired prints the scenario events that happened since last time,
// and how many hosts the simulator then sees broken anew.
func (d *demoRun) printFired() {
	fired := d.sim.FiredEvents()
	if len(fired) == d.fired {
		return
	}
	for _, f := range fired[d.fired:] {
		shown := f.Instances
		if len(shown) > 3 {
			shown = shown[:3]
		}
		fmt.Fprintf(d.out, "  %s  %s    simulator: %s on %s (%s)", d.st.Dim(cliout.Elapsed(f.At.Sub(d.start).Round(time.Second))),
			d.st.Warn("⚡"), f.Action, countOf(len(f.Instances), "host"), strings.Join(shown, ", "))
		if e := eventEffects[f.Action]; e != "" {
			fmt.Fprintf(d.out, ": %s", e)
		}
		fmt.Fprintln(d.out)
	}
	d.fired = len(fired)
	if _, broke := d.observe(); broke > 0 {
		fmt.Fprintf(d.out, "  %s  %s    %s\n", strings.Repeat(" ", 6), d.st.Warn("⚡"),
			d.st.Bad(fmt.Sprintf("fleet: %s broke", countOf(broke, "host"))))
	}
}

func (d *demoRun) outro(before, after fleetsim.Summary) {
	st, w := d.st, d.out
	fmt.Fprintln(w)
	_ = cliout.BeforeAfter(w, st, "The fleet, as the simulator sees it", "before", "after", []cliout.Row{
		{Label: "Windows hosts", Before: before.WindowsHosts, After: after.WindowsHosts},
		{Label: "containers lacking the route", Before: before.ContainersLackingRoute, After: after.ContainersLackingRoute, LowerIsBetter: true},
		{Label: "hosts lacking the route", Before: before.HostsLackingRoute, After: after.HostsLackingRoute, LowerIsBetter: true},
		{Label: "dead credential proxies", Before: before.DeadProxies, After: after.DeadProxies, LowerIsBetter: true},
		{Label: "SSM agents offline", Before: before.SSMOffline, After: after.SSMOffline, LowerIsBetter: true},
		{Label: "tasks on host port 80 (any OS)", Before: before.Port80Tasks, After: after.Port80Tasks, LowerIsBetter: true},
		{Label: "route-bootstrap runs", Before: before.CommandsRun, After: after.CommandsRun},
	})

	res := d.last
	c := res.Counts
	fmt.Fprintf(w, "\n%s\n", st.Bold("What ecswin reports at the end"))
	fmt.Fprintf(w, "  hosts: %s\n", cliout.StatesLine(st, res))
	fmt.Fprintf(w, "  drifted hosts %d · containers lacking the route %d · port-80 conflicts %d · runs in flight %d\n",
		c.DriftedHosts, c.ContainersLackingRoute, c.Port80Conflicts, c.RepairsInFlight)
	fmt.Fprintf(w, "  %d passes · %s to %d hosts · ecswin.io/credentials=ready put on %d hosts, removed from %d\n",
		d.passes, countOf(d.sent, "SSM command"), d.targeted, d.marked, d.unmarked)
	fmt.Fprintf(w, "  the simulator saw %s fixed and %s break during the run\n", countOf(d.fixed, "host"), countOf(d.broke, "host"))
	for _, cond := range res.Conditions {
		fmt.Fprintf(w, "  %s %-23s %s\n", conditionMark(st, string(cond.Status)), cond.Type, st.Dim(cond.Message))
	}
	d.printFindings(res.Findings)
	d.printCalls()
	fmt.Fprintf(w, "\ndone in %s. The same engine runs in the manager (kubectl apply -f config/samples) and in ecswinctl run.\n",
		time.Since(d.start).Round(100*time.Millisecond))
}

// printFindings shows what is left for a person to fix: conflicts and
// hosts ecswin cannot repair.
func (d *demoRun) printFindings(fs []audit.Finding) {
	var left []audit.Finding
	for _, f := range fs {
		if f.Severity >= audit.SeverityWarning {
			left = append(left, f)
		}
	}
	fmt.Fprintf(d.out, "\n%s (%s; ecswinctl audit lists them all)\n", d.st.Bold("Left for a person to fix"), cliout.FindingsSummary(fs))
	if len(left) > demoFindingsShown {
		defer fmt.Fprintf(d.out, "  … and %d more\n", len(left)-demoFindingsShown)
		left = left[:demoFindingsShown]
	}
	_ = cliout.FindingsTable(d.out, d.st, left)
}

// printCalls is the simulator's account of the API traffic.
func (d *demoRun) printCalls() {
	calls := d.sim.Calls()
	total := calls.Total("")
	type op struct {
		name string
		n    int
	}
	sorted := calls.Sorted()
	ops := make([]op, 0, len(sorted))
	for _, c := range sorted {
		ops = append(ops, op{c.Service + ":" + c.Operation, calls[c].Calls})
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].n > ops[j].n })
	parts := make([]string, 0, len(ops))
	for _, o := range ops {
		parts = append(parts, fmt.Sprintf("%s %d", o.name, o.n))
	}
	fmt.Fprintf(d.out, "\n%s %d (%d throttled, %d server errors): %s\n", d.st.Bold("AWS API calls, counted by the simulator:"),
		total.Calls, total.Throttled, total.ServerErrors, strings.Join(parts, ", "))
}

// countOf is "1 host" or "3 hosts": the plural is the singular plus s
// unless a plural is given.
func countOf(n int, one string, many ...string) string {
	if n == 1 {
		return "1 " + one
	}
	if len(many) > 0 {
		return fmt.Sprintf("%d %s", n, many[0])
	}
	return fmt.Sprintf("%d %ss", n, one)
}
