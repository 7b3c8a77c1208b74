package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// core is the engine with its metrics, as the manager builds it, but on a
// registry of its own.
type core struct {
	engine   *engine.Engine
	registry *prometheus.Registry
	metrics  *metrics.Metrics
}

// coreOptions tune newCore.
type coreOptions struct {
	clock        clock.PassiveClock
	pollInterval time.Duration
	aws          awsapi.Options
}

func newCore(o coreOptions) (*core, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := metrics.New(reg)
	if err != nil {
		return nil, err
	}
	o.aws.Observer = m
	eng := engine.New(engine.Deps{
		Clients:      awsapi.NewCache(o.aws),
		Clock:        o.clock,
		Metrics:      m,
		PollInterval: o.pollInterval,
	})
	return &core{engine: eng, registry: reg, metrics: m}, nil
}

// isTerminal reports whether only a policy change can fix err.
func isTerminal(err error) bool { return errors.Is(err, engine.ErrInvalidSpec) }

// loadPolicy reads the file named by --policy and the engine's name for
// it: the policy's namespace/name, or its name alone.
func loadPolicy(path string) (*v1alpha1.FleetPolicy, engine.PolicyRef, error) {
	if path == "" {
		return nil, engine.PolicyRef{}, errors.New("--policy is required")
	}
	p, err := policyfile.Load(path)
	if err != nil {
		return nil, engine.PolicyRef{}, err
	}
	return p, engine.PolicyRef{Namespace: p.Namespace, Name: p.Name}, nil
}

// parseFlags parses args and rejects positional arguments; it returns
// the exit code to leave with when parsing did not succeed.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ecswinctl %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}
