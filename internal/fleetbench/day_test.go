package fleetbench_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/ecswin/ecswin/api/v1alpha1"
	awstemplate "github.com/ecswin/ecswin/config/aws"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/policyfile"
	"github.com/ecswin/ecswin/internal/simtest"
)

// day is one simulated day's set-up.
type day struct {
	hosts int
	// length is the simulated time (a day in the benchmark).
	length time.Duration
	// bootstrapping: every image adds the route itself, so no new task
	// lacks it; else every new NAT-mode task lacks it.
	bootstrapping bool
	// every is the mean time between two task starts on one host.
	every time.Duration
	// drift is how many drift events (a route lost in a running
	// container, a proxy that dies without a reboot), spread evenly.
	drift int
	// reboots: hosts that reboot (the proxy is down after, the tasks
	// restart without the route), spread evenly between the drift.
	reboots int
	// ssm is Run Command's speed.
	ssm  fleetsim.SSMTiming
	seed uint64
	// queue: the policy reads an event queue that config/aws's template
	// made in the simulator (spec.events.queueURL); else polling alone.
	queue bool
}

// report is what one day measured.
type report struct {
	passes int
	runs   int // route-bootstrap executions on hosts
	// fix times by cause (fleet outage causes), of the outages an SSM
	// run ended; open counts those still broken at the end.
	fixes map[string][]time.Duration
	open  map[string]int
	calls fleetsim.CallCounts
	// started and lacking are the churn's task starts.
	started, lacking int
	// bus is what EventBridge published and delivered to the queue.
	bus fleetsim.EventBusStats
}

var start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// scenarioFor is the generated fleet of the day: hosts Windows hosts
// with five tasks each, in one cluster, churning, with drift events.
func scenarioFor(d day) *fleetsim.Scenario {
	sc := fleetsim.GenerateScenario(scenario.Size{WindowsInstances: d.hosts, TasksPerInstance: 5, Seed: d.seed})
	for i := range sc.TaskDefinitions {
		sc.TaskDefinitions[i].BootstrapsItself = d.bootstrapping
	}
	sc.Churn = &scenario.Churn{Every: faults.Duration(d.every), WithoutRoute: 1}
	for i := range d.drift {
		action := scenario.ActionStripRoutes
		if i%2 == 1 {
			action = scenario.ActionBreakProxy
		}
		at := time.Duration(float64(d.length) * (float64(i) + 0.5) / float64(d.drift))
		sc.Events = append(sc.Events, scenario.Event{After: faults.Duration(at), Action: action, Count: 1})
	}
	for i := range d.reboots {
		// Off the minute: a reboot at an inventory's instant would be
		// found at once by polling alone.
		at := time.Duration(float64(d.length)*(float64(i)+0.25)/float64(d.reboots)) + time.Duration(i*13+7)%60*time.Second
		sc.Events = append(sc.Events, scenario.Event{After: faults.Duration(at), Action: scenario.ActionReboot, Count: 1})
	}
	return sc
}

// spec is the policy of the day: every cluster, Enforce (routes and
// proxies), the CRD's default intervals and limits.
func spec(tb testing.TB, env *simtest.Env) v1alpha1.FleetPolicySpec {
	s := env.Spec(tb, v1alpha1.ModeEnforce)
	s.Intervals = v1alpha1.IntervalsSpec{} // the CRD's defaults: 1m inventory, 6h reverify
	s.Remediation.MaxInFlight = 0          // the default, 200
	s, err := policyfile.ApplyDefaults(s)
	if err != nil {
		tb.Fatalf("applying the CRD's defaults: %v", err)
	}
	return s
}

// warmUp is how long the first sweep (every host's first run, which a
// fresh controller sends) has before the measured day begins: the day
// measures the steady state, as a controller that has run for a while.
const warmUp = 10 * time.Minute

// runDay drives one policy's passes over the warm-up and the day, each at
// the time the previous one asked to come back, and reads the
// simulator's ground truth for the day.
func runDay(tb testing.TB, d day) report {
	tb.Helper()
	sc := scenarioFor(d)
	for i := range sc.Events {
		sc.Events[i].After += faults.Duration(warmUp)
	}
	env := simtest.New(tb, sc, simtest.Options{Start: start, Sim: fleetsim.Options{SSMTiming: &d.ssm}})
	s := spec(tb, env)
	deps := engine.Deps{Clients: env.Clients, Clock: env.Clock, Metrics: env.Metrics, BootstrapSHA256: simtest.BootstrapSHA256}
	var hub *events.Hub
	if d.queue {
		hub = startHub(tb, env)
		s.Events = &v1alpha1.EventsSpec{QueueURL: deployQueue(tb, env)}
		deps.Hints = hub
	}
	eng := engine.New(deps)
	policy := engine.PolicyRef{Name: "day"}
	var r report
	drive := func(until time.Time, count bool) {
		for env.Clock.Now().Before(until) {
			res, err := eng.Pass(context.Background(), policy, s)
			if err != nil {
				tb.Fatalf("pass at %s: %v", env.Clock.Now().Sub(start), err)
			}
			if count {
				r.passes++
			}
			next := env.Clock.Now().Add(max(res.RequeueAfter, time.Second))
			if next.After(until) {
				next = until
			}
			if hub == nil {
				env.Clock.Step(next.Sub(env.Clock.Now()))
				continue
			}
			waitForHints(tb, env, hub, policy.String(), next)
		}
	}
	from := start.Add(warmUp)
	drive(from, false)
	runs0 := runsSoFar(env.Sim)
	started0, lacking0 := env.Sim.ChurnStarts()
	env.Sim.ResetCalls()
	drive(from.Add(d.length), true)

	r.calls = env.Sim.Calls()
	r.bus = env.Sim.EventBus()
	r.started, r.lacking = env.Sim.ChurnStarts()
	r.started, r.lacking = r.started-started0, r.lacking-lacking0
	r.runs = runsSoFar(env.Sim) - runs0
	r.fixes, r.open = map[string][]time.Duration{}, map[string]int{}
	for _, o := range env.Sim.Outages() {
		switch {
		case o.Broke.Before(from):
		case o.Fixed.IsZero():
			r.open[o.Cause]++
		case o.FixedBy == "command":
			r.fixes[o.Cause] = append(r.fixes[o.Cause], o.Fixed.Sub(o.Broke))
		}
	}
	env.Close()
	return r
}

// startHub runs an event hub on the Env's clients and clock until tb ends.
func startHub(tb testing.TB, env *simtest.Env) *events.Hub {
	tb.Helper()
	hub := events.NewHub(events.HubDeps{Clients: env.Clients, Clock: env.Clock, Recorder: env.Metrics, Log: logr.Discard()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hub.Start(ctx)
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	return hub
}

// deployQueue makes config/aws's queue and rules in the simulator, scoped
// to the scenario's clusters, and returns the queue's URL.
func deployQueue(tb testing.TB, env *simtest.Env) string {
	tb.Helper()
	var arns []string
	for _, c := range env.Sim.Scenario().Clusters {
		arns = append(arns, env.Sim.ClusterARN(c.Name))
	}
	url, err := awstemplate.Deploy(env.Sim, awstemplate.Parameters{QueueName: "ecswin-day", ClusterARNs: arns})
	if err != nil {
		tb.Fatalf("deploying the event queue: %v", err)
	}
	return url
}

// waitForHints moves the clock a second at a time up to next, stopping
// early once the hub holds hints that are ready: the manager's reconcile
// on the hub's notification. After each step the simulator delivers what
// is due and the hub's long poll has read it; a hub that is not back in
// its long poll soon (a receive that failed waits out its backoff on the
// fake clock) gets the clock moved on, as the world would.
func waitForHints(tb testing.TB, env *simtest.Env, hub *events.Hub, policy string, next time.Time) {
	tb.Helper()
	stuck := 0
	for env.Clock.Now().Before(next) {
		env.Clock.Step(min(time.Second, next.Sub(env.Clock.Now())))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := env.Sim.WaitIdleReceivers(ctx, 1)
		cancel()
		switch {
		case err == nil:
			stuck = 0
		case stuck < 120:
			stuck++
		default:
			tb.Fatalf("the hub has not long-polled for %d steps, at %s (hub: %+v)", stuck, env.Clock.Now().Sub(start), hub.Status(policy))
		}
		if at, ok := hub.ReadyAt(policy); ok && !at.After(env.Clock.Now()) {
			return
		}
	}
}

// runsSoFar counts route-bootstrap executions on every Windows host.
func runsSoFar(sim *fleetsim.Sim) int {
	n := 0
	for _, st := range sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		n += st.CommandsRun
	}
	return n
}

// percentile is the p-th percentile (0..100) of ds, nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// table renders a report as the figures.
func (r report) table(d day) string {
	var b strings.Builder
	perDay := float64(24*time.Hour) / float64(d.length)
	fmt.Fprintf(&b, "hosts %d, %s simulated, %d passes; churn started %d tasks (%d lacking the route)\n", d.hosts, d.length, r.passes, r.started, r.lacking)
	fmt.Fprintf(&b, "route-bootstrap runs: %d (%.0f/day, %.1f a host)\n", r.runs, float64(r.runs)*perDay, float64(r.runs)*perDay/float64(d.hosts))
	causes := make([]string, 0, len(r.fixes))
	for c := range r.fixes {
		causes = append(causes, c)
	}
	sort.Strings(causes)
	for _, c := range causes {
		f := r.fixes[c]
		fmt.Fprintf(&b, "fixed after %-10s n=%-5d p50 %-8s p99 %-8s max %s (still open: %d)\n", c+":", len(f),
			percentile(f, 50).Round(time.Second), percentile(f, 99).Round(time.Second), percentile(f, 100).Round(time.Second), r.open[c])
	}
	if r.bus.Delivered > 0 {
		fmt.Fprintf(&b, "events: %d published, %d delivered to the queue (%.0f/day)\n", r.bus.Published, r.bus.Delivered, float64(r.bus.Delivered)*perDay)
	}
	total := r.calls.Total("").Calls
	fmt.Fprintf(&b, "AWS calls: %d (%.0f/day)", total, float64(total)*perDay)
	type op struct {
		name string
		n    int
	}
	var ops []op
	for c, n := range r.calls {
		ops = append(ops, op{c.Service + ":" + c.Operation, n.Calls})
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].n > ops[j].n })
	for _, o := range ops[:min(4, len(ops))] {
		fmt.Fprintf(&b, ", %s %.0f", o.name, float64(o.n)*perDay)
	}
	return b.String()
}

// The harness on a small fleet for a few hours, polling alone and with
// the event queue: every task start that lacks the route, and every drift
// event, is fixed by a run; runs track the task starts; the queue fixes
// new tasks sooner than polling does, with no more runs.
func TestDayHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated day takes a while")
	}
	var polled, queued report
	for _, queue := range []bool{false, true} {
		d := day{hosts: 30, length: 2 * time.Hour, every: time.Hour, drift: 4, reboots: 3, ssm: fleetsim.SSMTiming{}, seed: 11, queue: queue}
		r := runDay(t, d)
		t.Logf("queue=%t\n%s", queue, r.table(d))
		if r.lacking != r.started || r.started < 40 {
			t.Fatalf("churn: %d started, %d lacking", r.started, r.lacking)
		}
		newTask := r.fixes["newTask"]
		if len(newTask) < r.started/2 || percentile(newTask, 100) > 2*time.Minute {
			t.Fatalf("new tasks fixed: %d of %d started, slowest %s", len(newTask), r.started, percentile(newTask, 100))
		}
		if n := len(r.fixes["routeLost"]) + len(r.fixes["proxyDied"]) + r.open["routeLost"] + r.open["proxyDied"]; n != d.drift {
			t.Fatalf("%d drift outages, want %d", n, d.drift)
		}
		// A reboot of a host already broken is no new outage.
		if n := len(r.fixes["reboot"]) + r.open["reboot"]; n == 0 || n > d.reboots {
			t.Fatalf("%d reboot outages of %d reboots", n, d.reboots)
		}
		if r.runs < len(newTask) {
			t.Fatalf("%d runs fixed %d outages", r.runs, len(newTask))
		}
		if queue {
			queued = r
		} else {
			polled = r
		}
	}
	if q, p := percentile(queued.fixes["newTask"], 99), percentile(polled.fixes["newTask"], 99); q >= p {
		t.Errorf("new task fixed at p99 in %s with the queue, %s by polling", q, p)
	}
	if float64(queued.runs) > 1.1*float64(polled.runs) {
		t.Errorf("%d runs with the queue, %d by polling", queued.runs, polled.runs)
	}
}

// BenchmarkDay is the measurement: 1,000 hosts over a simulated
// day, each starting a NAT-mode task every 4 hours on average, 10 drift
// events, default intervals; Run Command at the simulator's default
// speed (1 s delivery, 2 s execution) and at AWS's (a few seconds each);
// polling alone (queue=none) and with the event queue (queue=sqs).
func BenchmarkDay(b *testing.B) {
	for _, ssm := range []struct {
		name string
		t    fleetsim.SSMTiming
	}{
		{"ssm=sim-default", fleetsim.SSMTiming{}},
		{"ssm=aws-like", fleetsim.SSMTiming{Visibility: time.Second, Delivery: 3 * time.Second, Execution: 4 * time.Second}},
	} {
		for _, bootstrapping := range []bool{false, true} {
			mix := "images=without-bootstrap"
			if bootstrapping {
				mix = "images=bootstrap-themselves"
			}
			for _, queue := range []bool{false, true} {
				name := ssm.name + "/" + mix + "/queue=none"
				if queue {
					name = ssm.name + "/" + mix + "/queue=sqs"
				}
				b.Run(name, func(b *testing.B) {
					d := day{hosts: 1000, length: 24 * time.Hour, bootstrapping: bootstrapping, every: 4 * time.Hour, drift: 10, reboots: 10, ssm: ssm.t, seed: 7, queue: queue}
					for range b.N {
						r := runDay(b, d)
						b.Log("\n" + r.table(d))
						b.ReportMetric(float64(r.runs), "runs/day")
						b.ReportMetric(percentile(r.fixes["newTask"], 50).Seconds(), "newtask-p50-s")
						b.ReportMetric(percentile(r.fixes["newTask"], 99).Seconds(), "newtask-p99-s")
						drift := append(slices.Clone(r.fixes["routeLost"]), r.fixes["proxyDied"]...)
						b.ReportMetric(percentile(drift, 50).Seconds(), "drift-p50-s")
						b.ReportMetric(percentile(drift, 99).Seconds(), "drift-p99-s")
						b.ReportMetric(percentile(r.fixes["reboot"], 99).Seconds(), "reboot-p99-s")
						b.ReportMetric(float64(r.calls.Total("").Calls), "calls/day")
					}
				})
			}
		}
	}
}
