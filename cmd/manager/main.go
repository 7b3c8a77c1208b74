// Command manager runs the ecswin FleetPolicy controller in a Kubernetes
// cluster. It only wires: flags into options, the scheme, the manager and
// the reconciler; the logic lives in controllers/ and internal/.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/controllers"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/buildinfo"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/metrics"
)

func main() {
	opts, err := parseOptions(flag.CommandLine, os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "manager:", err)
		}
		os.Exit(2)
	}
	switch {
	case opts.version:
		fmt.Print(buildinfo.String("manager"))
		return
	case opts.printSSMDocument:
		if err := printSSMDocument(os.Stdout, opts.bootstrapSHA256); err != nil {
			fmt.Fprintln(os.Stderr, "manager:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
		os.Exit(1)
	}
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(ecswinv1alpha1.AddToScheme(s))
	return s
}

func run(opts options) error {
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts.zap)))
	log := ctrl.Log.WithName("setup")

	var tlsOpts []func(*tls.Config)
	if !opts.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	metricsOpts, certWatcher, err := metricsServing(opts, tlsOpts)
	if err != nil {
		return err
	}

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading kubeconfig: %w", err)
	}
	shutdown := opts.gracefulShutdown
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        newScheme(),
		Metrics:                       metricsOpts,
		Cache:                         cacheOptions(opts.policySelector),
		WebhookServer:                 webhook.NewServer(webhook.Options{TLSOpts: tlsOpts}),
		HealthProbeBindAddress:        opts.probeAddr,
		LeaderElection:                opts.leaderElect,
		LeaderElectionID:              opts.leaderElectionID,
		LeaderElectionNamespace:       opts.leaderElectionNamespace,
		LeaderElectionReleaseOnCancel: true,
		GracefulShutdownTimeout:       &shutdown,
	})
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}
	if certWatcher != nil {
		if err := mgr.Add(certWatcher); err != nil {
			return fmt.Errorf("watching the metrics certificate: %w", err)
		}
	}

	// ecswin's metrics go on controller-runtime's registry, so the one
	// (secure) metrics endpoint serves both.
	m, err := metrics.New(ctrlmetrics.Registry)
	if err != nil {
		return err
	}
	clk := clock.RealClock{}
	clients := awsapi.NewCache(awsapi.Options{Observer: m, Trust: opts.trust(), Logger: ctrl.Log.WithName("aws")})
	// The hub reads the policies' event queues (spec.events.queueURL) and
	// wakes a policy's reconcile when its hints arrive. It runs on the
	// leader only: it deletes what it reads.
	wake := make(chan event.GenericEvent, wakeBuffer)
	hub := events.NewHub(events.HubDeps{Clients: clients, Clock: clk, Recorder: m, Log: ctrl.Log.WithName("events"),
		Notify: func(policy string) { wakePolicy(wake, policy) }})
	if err := mgr.Add(hub); err != nil {
		return fmt.Errorf("adding the event hub: %w", err)
	}
	eng := engine.New(engine.Deps{
		Clients:         clients,
		Clock:           clk,
		Metrics:         m,
		PollInterval:    opts.ssmPollInterval,
		Parallelism:     opts.awsParallelism,
		BootstrapSHA256: opts.bootstrapSHA256,
		Hints:           hub,
	})
	if err := controllers.SetupWithManager(mgr, controllers.Options{
		MaxConcurrentReconciles: opts.maxConcurrentReconciles,
		Engine:                  eng,
		Clock:                   clk,
		Wake:                    wake,
	}); err != nil {
		return fmt.Errorf("setting up the FleetPolicy controller: %w", err)
	}

	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("adding health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("informer-caches", cachesSynced(mgr.GetCache())); err != nil {
		return fmt.Errorf("adding readiness check: %w", err)
	}

	log.Info("starting manager", "version", buildinfo.Version(), "commit", buildinfo.Commit(),
		"metrics", opts.metricsAddr, "secureMetrics", opts.secureMetrics, "leaderElection", opts.leaderElect,
		"routeBootstrapSHA256", opts.bootstrapSHA256, "allowEndpointOverrides", opts.allowEndpointOverrides,
		"allowedRoleARNs", strings.Join(opts.allowedRoleARNs, ","), "policySelector", opts.policySelector.String(),
		"metricsCertPath", opts.metricsCertPath)
	if opts.bootstrapSHA256 == "" {
		log.Info("no route-bootstrap.exe SHA-256 is pinned: no runs will be sent until the manager is started with " + engine.FlagBootstrapSHA256)
	}
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		return fmt.Errorf("running manager: %w", err)
	}
	return nil
}

// printSSMDocument writes the document the engine keeps in SSM, for
// operators whose change control creates it by hand (tagged
// ecswin.io/managed-by=ecswin) and who give ecswin the DryRun-only policy.
func printSSMDocument(w io.Writer, bootstrapSHA256 string) error {
	if bootstrapSHA256 == "" {
		return fmt.Errorf("no route-bootstrap.exe SHA-256 to pin: give %s", engine.FlagBootstrapSHA256)
	}
	doc, err := ssmdoc.Content(bootstrapSHA256)
	if err != nil {
		return err
	}
	_, err = w.Write(doc)
	return err
}
