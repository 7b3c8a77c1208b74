package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

var simulateCommand = subcommand{
	name:    "simulate",
	summary: "serve a simulated ECS and SSM fleet (an AWS of our own) until stopped",
	run:     runSimulate,
}

// Dummy credentials: the simulator checks no signature, but the SDKs
// and the CLI refuse to send a request without some.
const (
	simAccessKeyID     = "AKIDSIMULATOR"
	simSecretAccessKey = "simulator-secret"
)

type simulateOptions struct {
	scenario    string
	listen      string
	seed        uint64
	throttle    float64
	serverError float64
	latency     time.Duration
}

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o simulateOptions
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.scenario, "scenario", "demo",
		"built-in scenario ("+strings.Join(scenario.BuiltinNames(), ", ")+") or a scenario YAML file")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to serve on (port 0 picks a free one)")
	fs.Uint64Var(&o.seed, "seed", 0, "seed for every random choice (0 keeps the scenario's)")
	fs.Float64Var(&o.throttle, "throttle", -1, "fraction of calls to throttle (overrides the scenario)")
	fs.Float64Var(&o.serverError, "server-errors", -1, "fraction of calls to fail with a 5xx (overrides the scenario)")
	fs.DurationVar(&o.latency, "latency", -1, "latency added to every call (overrides the scenario)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ecswinctl simulate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := simulate(ctx, o, stdout); err != nil {
		fmt.Fprintf(stderr, "ecswinctl simulate: %v\n", err)
		return exitError
	}
	return exitOK
}

func simulate(ctx context.Context, o simulateOptions, stdout io.Writer) error {
	s, err := fleetsim.LoadScenario(o.scenario)
	if err != nil {
		return err
	}
	f := s.Faults
	if o.throttle >= 0 {
		f.ThrottleFraction = o.throttle
	}
	if o.serverError >= 0 {
		f.ServerErrorFraction = o.serverError
	}
	if o.latency >= 0 {
		f.Latency = faults.Duration(o.latency)
	}
	sim, err := fleetsim.New(fleetsim.Options{Seed: o.seed, Faults: &f}, s)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	url, stop := sim.Serve(ln)
	defer stop()

	sum := sim.FleetSummary()
	fmt.Fprintf(stdout, "fleet simulator: scenario %q (seed %d) serving ECS and SSM at %s\n", s.Name, sim.Scenario().Seed, url)
	fmt.Fprintf(stdout, "  %d clusters, %d instances (%d Windows), %d tasks; %d containers lack the route on %d hosts, %d dead proxies\n",
		sum.Clusters, sum.Instances, sum.WindowsHosts, sum.RunningTasks, sum.ContainersLackingRoute, sum.HostsLackingRoute, sum.DeadProxies)
	fmt.Fprintln(stdout, "\nexport these to point the AWS SDKs and CLI at it:")
	for _, kv := range [][2]string{
		{"AWS_ENDPOINT_URL_ECS", url},
		{"AWS_ENDPOINT_URL_SSM", url},
		{"AWS_ACCESS_KEY_ID", simAccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", simSecretAccessKey},
		{"AWS_REGION", sim.Region()},
		{"AWS_DEFAULT_REGION", sim.Region()},
	} {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], kv[1])
	}
	fmt.Fprintln(stdout, "\nserving until interrupted (Ctrl-C)")

	<-ctx.Done()
	total := sim.Calls().Total("")
	after := sim.FleetSummary()
	fmt.Fprintf(stdout, "\nstopped after %d API calls (%d throttled, %d server errors); %d containers lack the route, %d dead proxies, %d commands run\n",
		total.Calls, total.Throttled, total.ServerErrors, after.ContainersLackingRoute, after.DeadProxies, after.CommandsRun)
	return nil
}
