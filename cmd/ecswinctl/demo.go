package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simpolicy"
)

// Demo pacing. The inventory interval is the shortest the CRD allows;
// only the SSM poll interval, an engine setting, is shorter than the
// manager's, so that a one-minute demo shows every step.
const (
	demoInventory    = 10 * time.Second
	demoPollInterval = time.Second
	// demoLimit ends the demo whatever happens.
	demoLimit = 2 * time.Minute
)

type demoOptions struct {
	scenario string
	seed     uint64
	// inventory and poll pace the loop; zero means demoInventory and
	// demoPollInterval (tests run faster).
	inventory, poll time.Duration
}

func newDemoCommand(s streams) *cobra.Command {
	var (
		o        demoOptions
		scenario *scenarioValue
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Watch the reconcile loop repair a simulated fleet of a few hundred Windows hosts (about a minute)",
		Long: `Starts the fleet simulator in-process and runs the reconcile loop in Enforce
mode against it through the real AWS SDK: containers without the route, dead
credential proxies, a reboot and a deploy, all repaired as they happen. Only
the SSM poll interval is shorter than the manager's, so every step shows
within a minute. make demo-kube shows the same with the manager and kubectl.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.scenario = scenario.value
			if err := demo(cmd.Context(), o, s.out); err != nil {
				return failWith(exitError, err)
			}
			return nil
		},
	}
	scenario = scenarioFlag(cmd, "the fleet to repair")
	cmd.Flags().Uint64Var(&o.seed, "seed", 0, "seed for the simulator (0 keeps the scenario's)")
	return cmd
}

// demoRun is one demo in progress.
type demoRun struct {
	out   io.Writer
	st    cliout.Style
	sim   *fleetsim.Sim
	start time.Time
	opts  demoOptions

	fired    int
	passes   int
	sent     int
	targeted int
	marked   int
	unmarked int
	last     engine.Result
	// broken is, per host, whether the simulator last saw it drifted;
	// fixed and broke count the changes, the simulator's ground truth.
	broken       map[string]bool
	fixed, broke int
}

func demo(ctx context.Context, o demoOptions, out io.Writer) error {
	if o.inventory <= 0 {
		o.inventory = demoInventory
	}
	if o.poll <= 0 {
		o.poll = demoPollInterval
	}
	sc, err := fleetsim.LoadScenario(o.scenario)
	if err != nil {
		return err
	}
	sim, err := fleetsim.New(fleetsim.Options{Seed: o.seed}, sc)
	if err != nil {
		return err
	}
	// Stopped in the background: a graceful stop waits up to five
	// seconds on the SDK's keep-alive connections, and the demo's
	// process ends right after anyway.
	url, stop := sim.Start()
	defer func() { go stop() }()

	c, err := newCore(coreOptions{
		pollInterval:    o.poll,
		bootstrapSHA256: simpolicy.BootstrapSHA256,
		aws: awsapi.Options{
			// The demo is its own operator: it allows its simulator.
			Trust:      awsapi.Trust{AllowEndpointOverrides: true},
			MaxBackoff: 100 * time.Millisecond,
			LoadOptions: []func(*config.LoadOptions) error{
				config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(simAccessKeyID, simSecretAccessKey, "")),
				config.WithSharedConfigFiles([]string{}),
				config.WithSharedCredentialsFiles([]string{}),
				// The SDK's warnings about keep-alive connections the
				// simulator closed are noise here.
				config.WithLogger(logging.Nop{}),
			},
		},
	})
	if err != nil {
		return err
	}
	policy, err := demoPolicy(sim, url, sc.Name)
	if err != nil {
		return err
	}
	d := &demoRun{out: out, st: cliout.StyleFor(out), sim: sim, start: time.Now(), opts: o}
	spec := policy.Spec
	spec.Intervals.Inventory.Duration = o.inventory // tests go faster than the CRD allows
	ref := engine.PolicyRef{Name: sc.Name}
	before := sim.FleetSummary()
	d.observe()
	d.intro(sc, url, before)

	err = d.loop(ctx, c.engine, ref, spec, lastEventAfter(sc))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	d.outro(before, sim.FleetSummary())
	return nil
}

// demoPolicy is an Enforce policy for every cluster of the simulator,
// as valid as one applied to a cluster.
func demoPolicy(sim *fleetsim.Sim, url, name string) (*v1alpha1.FleetPolicy, error) {
	p := simpolicy.For(sim, url, name)
	p.Enforce = true
	p.MaxInFlight = 1000
	p.Inventory = demoInventory
	p.Reverify = 5 * time.Minute
	return simpolicy.Policy(p)
}

// lastEventAfter is when the scenario's last scheduled event happens.
func lastEventAfter(sc *fleetsim.Scenario) time.Duration {
	var last time.Duration
	for _, e := range sc.Events {
		last = max(last, time.Duration(e.After))
	}
	return last
}

// loop runs passes as the controller would, printing each, and stops at
// the first inventory that finds the fleet settled after the last
// scenario event and after the last repair ended.
func (d *demoRun) loop(ctx context.Context, eng *engine.Engine, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, lastEvent time.Duration) error {
	d.header()
	quietBefore := false
	for time.Since(d.start) < demoLimit {
		res, err := eng.Pass(ctx, ref, spec)
		if err != nil {
			return fmt.Errorf("pass %d: %w", d.passes+1, err)
		}
		d.record(res)
		d.printPass(res)

		eventsDone := time.Since(d.start) > lastEvent && d.fired == len(d.sim.Scenario().Events)
		if eventsDone && quietBefore && res.Inventoried && settled(res) {
			return nil
		}
		quietBefore = eventsDone && res.Counts.RepairsInFlight == 0
		if !d.waitFor(ctx, res.RequeueAfter) {
			return ctx.Err()
		}
	}
	fmt.Fprintf(d.out, "%s\n", d.st.Warn(fmt.Sprintf("stopping after %s although the fleet has not settled", demoLimit)))
	return nil
}

// settled: nothing in flight, nothing unverified, no drift the engine
// still has to act on.
func settled(res engine.Result) bool {
	return res.Counts.RepairsInFlight == 0 && res.HostStates[engine.HostUnverified] == 0 &&
		res.HostStates[engine.HostDrifted] == 0
}

// waitFor sleeps d, printing scenario events as they happen.
func (d *demoRun) waitFor(ctx context.Context, wait time.Duration) bool {
	until := time.Now().Add(wait)
	for {
		next := until
		if at, ok := d.nextEvent(); ok && at.Before(next) {
			next = at
		}
		if !sleep(ctx, time.Until(next)) {
			return false
		}
		d.printFired()
		if !time.Now().Before(until) {
			return true
		}
	}
}

// nextEvent is when the next scenario event not yet printed is due.
func (d *demoRun) nextEvent() (time.Time, bool) {
	evs := d.sim.Scenario().Events
	if d.fired >= len(evs) {
		return time.Time{}, false
	}
	// Events are scheduled from the simulator's start, just before ours.
	next := time.Duration(-1)
	for _, e := range evs {
		if at := time.Duration(e.After); time.Since(d.start) < at && (next < 0 || at < next) {
			next = at
		}
	}
	if next < 0 {
		return time.Now(), true
	}
	return d.start.Add(next), true
}

func (d *demoRun) record(res engine.Result) {
	d.passes++
	d.sent += res.CommandsSent
	d.targeted += res.HostsTargeted
	d.marked += res.ReadyAttributesSet
	d.unmarked += res.ReadyAttributesRemoved
	d.last = res
}

// observe compares each Windows host with the simulator's last look and
// returns how many were fixed and how many broke since.
func (d *demoRun) observe() (fixed, broke int) {
	first := d.broken == nil
	if first {
		d.broken = map[string]bool{}
	}
	for _, h := range d.sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		now := h.ContainersLackingRoute > 0 || !h.ProxyHealthy
		was, seen := d.broken[h.InstanceID]
		d.broken[h.InstanceID] = now
		switch {
		case first || !seen:
		case was && !now:
			fixed++
		case !was && now:
			broke++
		}
	}
	d.fixed += fixed
	d.broke += broke
	return fixed, broke
}
