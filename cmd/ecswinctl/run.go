package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/engine"
)

// Backoff after a failed pass, as the controller's workqueue would.
const (
	runRetryFirst = time.Second
	runRetryMax   = time.Minute
)

type runOptions struct {
	policy      string
	metricsAddr *addressValue
	trust       trustOptions
}

func newRunCommand(s streams) *cobra.Command {
	o := runOptions{metricsAddr: &addressValue{value: "127.0.0.1:9090", offIsZero: true}}
	cmd := &cobra.Command{
		Use:   "run --policy FILE",
		Short: "Run the reconcile loop for one policy and serve /metrics, until SIGINT or SIGTERM",
		Long: `The reconcile loop for one policy, as the manager runs it: the policy's mode
applies (Enforce repairs). One line per pass, then the pass's events; a
failed pass is retried after 1s, doubling up to a minute. Prometheus metrics
(ecswin's, Go's and the process's) are served on plain HTTP.

The file must hold one FleetPolicy. Exit code: 0 stopped by a signal, 1 the
metrics server could not start, 2 a policy the engine cannot act on.`,
		Example: `  ecswinctl run --policy sim.yaml
  ecswinctl run -f prod.yaml --metrics-bind-address 0.0.0.0:9090`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), o, s)
		},
	}
	policyFlag(cmd, &o.policy)
	cmd.Flags().Var(o.metricsAddr, "metrics-bind-address", "address to serve Prometheus /metrics on; 0 turns it off")
	o.trust.register(cmd.Flags())
	return cmd
}

func runRun(ctx context.Context, o runOptions, s streams) error {
	p, err := loadOnePolicy(o.policy, s.in)
	if err != nil {
		return failWith(exitUsage, err)
	}
	ref := refOf(p)
	co := coreOptions{log: logr.FromSlogHandler(slog.NewTextHandler(s.err, nil)).WithName("events")}
	if err := o.trust.apply(&co); err != nil {
		return failWith(exitUsage, err)
	}
	c, err := newCore(co)
	if err != nil {
		return failWith(exitError, err)
	}
	if o.metricsAddr.value != "0" {
		stop, _, err := serveMetricsOn(o.metricsAddr.value, c, s.err)
		if err != nil {
			return failWith(exitError, err)
		}
		defer stop()
	}
	fmt.Fprintf(s.out, "ecswinctl run: policy %s, mode %s, clusters %v%s; Ctrl-C stops\n", ref, p.Spec.Remediation.Mode, p.Spec.Clusters, queueNote(p.Spec))
	defer c.startEvents(ctx)()
	if err := loop(ctx, c.engine, ref, p.Spec, s.out, c.wake); err != nil {
		return failWith(exitUsage, err)
	}
	return nil
}

// queueNote names the policy's event queue for run's first line.
func queueNote(s v1alpha1.FleetPolicySpec) string {
	if s.Events == nil || s.Events.QueueURL == "" {
		return ", polling"
	}
	return ", events from " + s.Events.QueueURL
}

// loop runs passes until ctx ends, each after the requeue the last one
// asked for or as soon as wake says the policy's events made something
// due; a failed pass is retried with a doubling delay. Only a spec the
// engine cannot act on ends it early.
func loop(ctx context.Context, eng *engine.Engine, ref engine.PolicyRef, spec v1alpha1.FleetPolicySpec, out io.Writer, wake <-chan struct{}) error {
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
		if !sleepOrWake(ctx, next, wake) {
			return nil
		}
	}
}

// sleepOrWake waits d, or until wake (nil: never); false when ctx ended.
func sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-wake:
	}
	return true
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
