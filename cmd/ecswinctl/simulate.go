package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/spf13/cobra"

	awstemplate "github.com/ecswin/ecswin/config/aws"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/simpolicy"
)

// Dummy credentials: the simulator checks no signature, but the SDKs
// and the CLI refuse to send a request without some.
const (
	simAccessKeyID     = "AKIDSIMULATOR"
	simSecretAccessKey = "simulator-secret"
)

type simulateOptions struct {
	scenario    *scenarioValue
	listen      *addressValue
	seed        uint64
	throttle    fractionValue
	serverError fractionValue
	latency     durationValue
	writePolicy string
}

func newSimulateCommand(s streams) *cobra.Command {
	o := simulateOptions{
		listen:  &addressValue{value: "127.0.0.1:0"},
		latency: durationValue{optional: true},
	}
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Serve a simulated ECS, SSM and SQS fleet (an AWS of our own) until stopped",
		Long: `Serves the fleet simulator: the real ECS and SSM JSON protocol over an
in-memory fleet of Windows and Linux container instances, whose hosts run
route-bootstrap's logic when an SSM command reaches them, and an SQS event
queue that config/aws's EventBridge rules feed with the fleet's ECS and SSM
events as they happen. It prints the
environment to export so the AWS SDKs and CLI reach it, and a FleetPolicy for
its clusters, ready for ecswinctl audit or run or for kubectl apply.

--throttle, --server-errors and --latency override the scenario's faults.`,
		Example: `  ecswinctl simulate --scenario demo --listen 127.0.0.1:4566 --write-policy sim.yaml
  # then, in another shell:
  ecswinctl audit --policy sim.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := simulate(cmd.Context(), o, s.out); err != nil {
				return failWith(exitError, err)
			}
			return nil
		},
	}
	o.scenario = scenarioFlag(cmd, "the fleet to serve")
	cmd.Flags().Var(o.listen, "listen", "address to serve on (port 0 picks a free one)")
	cmd.Flags().Uint64Var(&o.seed, "seed", 0, "seed for every random choice (0 keeps the scenario's)")
	cmd.Flags().Var(&o.throttle, "throttle", "fraction of calls to answer with a throttling error (default: the scenario's)")
	cmd.Flags().Var(&o.serverError, "server-errors", "fraction of calls to fail with a 5xx (default: the scenario's)")
	cmd.Flags().Var(&o.latency, "latency", "latency added to every call (default: the scenario's)")
	cmd.Flags().StringVar(&o.writePolicy, "write-policy", "", "also write the FleetPolicy for the simulated fleet to `FILE`")
	_ = cmd.MarkFlagFilename("write-policy", "yaml")
	return cmd
}

func simulate(ctx context.Context, o simulateOptions, stdout io.Writer) error {
	s, err := fleetsim.LoadScenario(o.scenario.value)
	if err != nil {
		return err
	}
	f := s.Faults
	if o.throttle.set {
		f.ThrottleFraction = o.throttle.value
	}
	if o.serverError.set {
		f.ServerErrorFraction = o.serverError.value
	}
	if o.latency.set {
		f.Latency = faults.Duration(o.latency.value)
	}
	sim, err := fleetsim.New(fleetsim.Options{Seed: o.seed, Faults: &f}, s)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen.value)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	url, stop := sim.Serve(ln)
	defer stop()
	queueURL, err := deployEventQueue(sim)
	if err != nil {
		return err
	}

	params := simpolicy.For(sim, url, "sim")
	params.QueueURL = queueURL
	policy := simpolicy.YAML(params)
	if o.writePolicy != "" {
		if err := os.WriteFile(o.writePolicy, []byte(policy), 0o600); err != nil {
			return fmt.Errorf("writing the policy: %w", err)
		}
	}

	sum := sim.FleetSummary()
	fmt.Fprintf(stdout, "fleet simulator: scenario %q (seed %d) serving ECS, SSM and SQS at %s\n", s.Name, sim.Scenario().Seed, url)
	fmt.Fprintf(stdout, "  %d clusters, %d instances (%d Windows), %d tasks; %d containers lack the route on %d hosts, %d dead proxies\n",
		sum.Clusters, sum.Instances, sum.WindowsHosts, sum.RunningTasks, sum.ContainersLackingRoute, sum.HostsLackingRoute, sum.DeadProxies)
	fmt.Fprintf(stdout, "  event queue %s, fed by config/aws's EventBridge rules for every cluster\n", queueURL)
	fmt.Fprintln(stdout, "\nexport these to point the AWS SDKs and CLI at it:")
	for _, kv := range [][2]string{
		{"AWS_ENDPOINT_URL_ECS", url},
		{"AWS_ENDPOINT_URL_SSM", url},
		{"AWS_ENDPOINT_URL_SQS", url},
		{"AWS_ACCESS_KEY_ID", simAccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", simSecretAccessKey},
		{"AWS_REGION", sim.Region()},
		{"AWS_DEFAULT_REGION", sim.Region()},
	} {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], kv[1])
	}
	if o.writePolicy != "" {
		fmt.Fprintf(stdout, "\na FleetPolicy for this fleet is in %s (ecswinctl audit --policy %s):\n\n", o.writePolicy, o.writePolicy)
	} else {
		fmt.Fprintln(stdout, "\na FleetPolicy for this fleet (save it as sim.yaml, then ecswinctl audit --policy sim.yaml):")
		fmt.Fprintln(stdout)
	}
	fmt.Fprint(stdout, policy)
	fmt.Fprintln(stdout, "\nserving until interrupted (Ctrl-C)")

	<-ctx.Done()
	total := sim.Calls().Total("")
	after := sim.FleetSummary()
	fmt.Fprintf(stdout, "\nstopped after %d API calls (%d throttled, %d server errors); %d containers lack the route, %d dead proxies, %d commands run\n",
		total.Calls, total.Throttled, total.ServerErrors, after.ContainersLackingRoute, after.DeadProxies, after.CommandsRun)
	return nil
}

// deployEventQueue makes what config/aws's template makes, in the
// simulator: the event queue and the EventBridge rules that feed it, for
// every cluster of the scenario. It returns the queue's URL.
func deployEventQueue(sim *fleetsim.Sim) (string, error) {
	arns := make([]string, 0, len(sim.Scenario().Clusters))
	for _, c := range sim.Scenario().Clusters {
		arns = append(arns, sim.ClusterARN(c.Name))
	}
	return awstemplate.Deploy(sim, awstemplate.Parameters{ClusterARNs: arns})
}
