package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
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
	// bootstrapSHA256 is the route-bootstrap.exe hash the document pins;
	// empty sends no runs (see trustOptions).
	bootstrapSHA256 string
}

// trustOptions are the operator's trust settings, the manager's flags of
// the same names: who runs ecswinctl is the operator.
type trustOptions struct {
	allowEndpointOverrides bool
	allowedRoleARNs        string
	bootstrapSHA256        string
}

func (t *trustOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&t.allowEndpointOverrides, "allow-endpoint-overrides", false,
		"let the policy's spec.aws.endpoints name hosts outside AWS (the fleet simulator, LocalStack)")
	fs.StringVar(&t.allowedRoleARNs, "allowed-role-arns", "",
		"comma-separated role ARN patterns (* and ?) spec.aws.roleARN may name; empty allows none")
	fs.StringVar(&t.bootstrapSHA256, "bootstrap-sha256", "",
		"SHA-256 of the route-bootstrap.exe hosts download (default: the one this build embeds)")
}

// apply puts the trust settings into o.
func (t trustOptions) apply(o *coreOptions) error {
	roles, err := awsapi.ParseRolePatterns(t.allowedRoleARNs)
	if err != nil {
		return err
	}
	o.aws.Trust = awsapi.Trust{AllowEndpointOverrides: t.allowEndpointOverrides, AllowedRoleARNs: roles}
	o.bootstrapSHA256 = buildinfo.RouteBootstrapSHA256()
	if t.bootstrapSHA256 != "" {
		h := strings.ToLower(t.bootstrapSHA256)
		if !buildinfo.ValidSHA256(h) {
			return fmt.Errorf("--bootstrap-sha256 %q is not a SHA-256 (64 hex digits, as sha256sum prints it)", t.bootstrapSHA256)
		}
		o.bootstrapSHA256 = h
	}
	return nil
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

		BootstrapSHA256: o.bootstrapSHA256,
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
