package main

import (
	"flag"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/ecswin/ecswin/internal/engine"
)

// options are the manager's command-line settings. Everything the manager
// does is decided here, so main only wires.
type options struct {
	metricsAddr             string
	secureMetrics           bool
	enableHTTP2             bool
	probeAddr               string
	leaderElect             bool
	leaderElectionNamespace string
	maxConcurrentReconciles int
	gracefulShutdown        time.Duration
	ssmPollInterval         time.Duration
	awsParallelism          int
	zap                     zap.Options
}

func parseOptions(fs *flag.FlagSet, args []string) (options, error) {
	var o options
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8443",
		"Address the metrics endpoint binds to (plain HTTP, e.g. :8080, needs --metrics-secure=false); 0 turns it off.")
	fs.BoolVar(&o.secureMetrics, "metrics-secure", true,
		"Serve metrics over HTTPS and require an authenticated, authorised client (TokenReview and SubjectAccessReview).")
	fs.BoolVar(&o.enableHTTP2, "enable-http2", false,
		"Allow HTTP/2 on the metrics server; off by default because of the HTTP/2 Stream Cancellation and Rapid Reset CVEs.")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "Address the health and readiness probes bind to.")
	fs.BoolVar(&o.leaderElect, "leader-elect", false,
		"Elect a leader so that only one replica reconciles; turn on when running more than one replica.")
	fs.StringVar(&o.leaderElectionNamespace, "leader-election-namespace", "",
		"Namespace of the leader-election lease; empty means the namespace the manager runs in.")
	fs.IntVar(&o.maxConcurrentReconciles, "max-concurrent-reconciles", 2,
		"How many FleetPolicies are reconciled at once.")
	fs.DurationVar(&o.gracefulShutdown, "graceful-shutdown-timeout", 30*time.Second,
		"How long running reconciles may take to finish on shutdown.")
	fs.DurationVar(&o.ssmPollInterval, "ssm-poll-interval", engine.DefaultPollInterval,
		"How soon a policy is reconciled again while its SSM commands run.")
	fs.IntVar(&o.awsParallelism, "aws-parallelism", engine.DefaultParallelism,
		"How many AWS calls one policy's pass may have in flight at once.")
	o.zap = zap.Options{Development: false}
	o.zap.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	return o, nil
}
