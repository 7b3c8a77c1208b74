package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/pflag"
	"k8s.io/utils/clock"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// core is the engine with its metrics, as the manager builds it, but on a
// registry of its own.
type core struct {
	engine   *engine.Engine
	registry *prometheus.Registry
	metrics  *metrics.Metrics
	// hub reads the policy's event queue once started (startEvents);
	// wake is told when its hints arrive.
	hub  *events.Hub
	wake chan struct{}
}

// coreOptions tune newCore.
type coreOptions struct {
	clock        clock.PassiveClock
	pollInterval time.Duration
	aws          awsapi.Options
	// bootstrapSHA256 is the route-bootstrap.exe hash the document pins;
	// empty sends no runs (see trustOptions).
	bootstrapSHA256 string
	// log is where the event hub says why a queue cannot be read;
	// zero discards.
	log logr.Logger
	// readOnly passes send nothing to SSM and write nothing to AWS.
	readOnly bool
}

// trustOptions are the operator's trust settings, the manager's flags of
// the same names: who runs ecswinctl is the operator.
type trustOptions struct {
	allowEndpointOverrides bool
	allowedRoleARNs        []string
	bootstrapSHA256        string
}

func (t *trustOptions) register(fs *pflag.FlagSet) {
	fs.BoolVar(&t.allowEndpointOverrides, "allow-endpoint-overrides", false,
		"let the policy's spec.aws.endpoints name hosts outside AWS (the fleet simulator, LocalStack)")
	fs.StringSliceVar(&t.allowedRoleARNs, "allowed-role-arns", nil,
		"role ARN patterns (* and ?) spec.aws.roleARN may name (repeat it, or separate patterns with commas); none allows none")
	fs.StringVar(&t.bootstrapSHA256, "bootstrap-sha256", "",
		"SHA-256 of the route-bootstrap.exe hosts download (default: the one this build embeds, see ecswinctl version)")
}

// apply puts the trust settings into o.
func (t trustOptions) apply(o *coreOptions) error {
	roles, err := awsapi.ParseRolePatterns(strings.Join(t.allowedRoleARNs, ","))
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
	clients := awsapi.NewCache(o.aws)
	c := &core{registry: reg, metrics: m, wake: make(chan struct{}, 1)}
	c.hub = events.NewHub(events.HubDeps{Clients: clients, Recorder: m, Log: o.log, Notify: func(string) {
		select {
		case c.wake <- struct{}{}:
		default: // a wake-up is pending already
		}
	}})
	c.engine = engine.New(engine.Deps{
		Clients:      clients,
		Clock:        o.clock,
		Metrics:      m,
		PollInterval: o.pollInterval,
		Hints:        c.hub,

		BootstrapSHA256: o.bootstrapSHA256,
		ReadOnly:        o.readOnly,
	})
	return c, nil
}

// startEvents reads the policies' event queues until ctx ends; stop
// waits for the readers to end. Commands that do not start it (audit,
// demo) poll alone.
func (c *core) startEvents(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.hub.Start(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// isTerminal reports whether only a policy change can fix err.
func isTerminal(err error) bool { return errors.Is(err, engine.ErrInvalidSpec) }

// loadPolicies reads every FleetPolicy in the file named by --policy
// ("-" is standard input).
func loadPolicies(path string, in io.Reader) ([]*v1alpha1.FleetPolicy, error) {
	raw, err := readInput(path, in)
	if err != nil {
		return nil, fmt.Errorf("reading policy: %w", err)
	}
	return policyfile.ParseNamed(raw, displayPath(path))
}

// readInput reads the file at path, or in when path is "-".
func readInput(path string, in io.Reader) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(in)
	}
	return os.ReadFile(path)
}

// loadOnePolicy reads a file that must hold one FleetPolicy, for the
// commands that run a single policy.
func loadOnePolicy(path string, in io.Reader) (*v1alpha1.FleetPolicy, error) {
	ps, err := loadPolicies(path, in)
	if err != nil {
		return nil, err
	}
	if len(ps) > 1 {
		return nil, fmt.Errorf("%s holds %d FleetPolicies (%s) and this command runs one: put each in its own file, "+
			"or apply them to a cluster where the manager runs them all", displayPath(path), len(ps), strings.Join(policyfile.Names(ps), ", "))
	}
	return ps[0], nil
}

// refOf is the engine's name for a policy: namespace/name, or its name
// alone.
func refOf(p *v1alpha1.FleetPolicy) engine.PolicyRef {
	return engine.PolicyRef{Namespace: p.Namespace, Name: p.Name}
}

// displayPath names an input in messages.
func displayPath(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}
