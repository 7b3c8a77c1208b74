package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
)

var runCommand = subcommand{
	name:    "run",
	summary: "run the reconcile loop for one policy file and serve /metrics, until SIGINT or SIGTERM",
	run:     runRun,
}

// Backoff after a failed pass, as the controller's workqueue would.
const (
	runRetryFirst = time.Second
	runRetryMax   = time.Minute
)

type runOptions struct {
	policy      string
	metricsAddr string
	trust       trustOptions
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o runOptions
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.policy, "policy", "", "FleetPolicy YAML file (as for kubectl apply; see config/samples)")
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", "127.0.0.1:9090", "address to serve Prometheus /metrics on; 0 turns it off")
	o.trust.register(fs)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	p, ref, err := loadPolicy(o.policy)
	if err != nil {
		fmt.Fprintf(stderr, "ecswinctl run: %v\n", err)
		return exitUsage
	}
	var co coreOptions
	if err := o.trust.apply(&co); err != nil {
		fmt.Fprintf(stderr, "ecswinctl run: %v\n", err)
		return exitUsage
	}
	c, err := newCore(co)
	if err != nil {
		fmt.Fprintf(stderr, "ecswinctl run: %v\n", err)
		return exitError
	}
	if o.metricsAddr != "0" {
		stop, _, err := serveMetricsOn(o.metricsAddr, c, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "ecswinctl run: %v\n", err)
			return exitError
		}
		defer stop()
	}
	fmt.Fprintf(stdout, "ecswinctl run: policy %s, mode %s, clusters %v; Ctrl-C stops\n", ref, p.Spec.Remediation.Mode, p.Spec.Clusters)
	if err := loop(ctx, c.engine, ref, p.Spec, stdout); err != nil {
		fmt.Fprintf(stderr, "ecswinctl run: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// loop runs passes until ctx ends, each after the requeue the last one
// asked for; a failed pass is retried with a doubling delay. Only a spec
// the engine cannot act on ends it early.
func loop(ctx context.Context, eng *engine.Engine, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, out io.Writer) error {
	st := cliout.StyleFor(out)
	retry := runRetryFirst
	for {
		res, err := eng.Pass(ctx, ref, spec)
		next := res.RequeueAfter
		switch {
		case ctx.Err() != nil:
			return nil //nolint:nilerr // asked to stop: a pass cut short is no failure
		case isTerminal(err):
			return err
		case err != nil:
			fmt.Fprintf(out, "%s  %s pass failed, retrying in %s: %v\n", stamp(st), st.Bad("✘"), retry, err)
			next, retry = retry, min(2*retry, runRetryMax)
		default:
			retry = runRetryFirst
			printPass(out, st, res)
		}
		if !sleep(ctx, next) {
			return nil
		}
	}
}

func stamp(st cliout.Style) string { return st.Dim(time.Now().UTC().Format("15:04:05")) }

// printPass is one line per pass, then the pass's events.
func printPass(w io.Writer, st cliout.Style, res engine.Result) {
	c := res.Counts
	fmt.Fprintf(w, "%s  %s │ drifted %d, lacking route %d, conflicts %d, in flight %d │ next in %s\n",
		stamp(st), cliout.StatesLine(st, res), c.DriftedHosts, c.ContainersLackingRoute, c.Port80Conflicts, c.RepairsInFlight,
		res.RequeueAfter.Round(time.Second))
	for _, e := range res.Events {
		mark := st.Good("•")
		if e.Type == engine.EventWarning {
			mark = st.Warn("!")
		}
		fmt.Fprintf(w, "          %s %s: %s\n", mark, e.Reason, e.Message)
	}
}

// serveMetricsOn serves the core's registry on addr until stop, and says
// where it listens (addr may ask for port 0).
func serveMetricsOn(addr string, c *core, logw io.Writer) (stop func(), bound string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listening for metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(c.registry, promhttp.HandlerOpts{Registry: c.registry}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(logw, "ecswinctl: metrics server: %v\n", err)
		}
	}()
	fmt.Fprintf(logw, "serving metrics at http://%s/metrics\n", ln.Addr())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, ln.Addr().String(), nil
}
