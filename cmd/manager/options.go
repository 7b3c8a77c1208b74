package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/buildinfo"
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
	leaderElectionID        string
	maxConcurrentReconciles int
	gracefulShutdown        time.Duration
	ssmPollInterval         time.Duration
	awsParallelism          int
	zap                     zap.Options

	// The trust boundary, the operator's alone (see README, Security).
	allowEndpointOverrides bool
	allowedRoleARNs        awsapi.RolePatterns
	bootstrapSHA256        string

	// The metrics serving certificate (cert-manager's secret, mounted);
	// without a path controller-runtime serves a self-signed one.
	metricsCertPath, metricsCertName, metricsCertKey string
	// policySelector limits this manager to the FleetPolicies whose labels
	// match, to split a large estate across several Deployments.
	policySelector labels.Selector

	version          bool
	printSSMDocument bool
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
	fs.StringVar(&o.leaderElectionID, "leader-election-id", "ecswin-controller.ecswin.io",
		"Name of the leader-election lease; managers splitting FleetPolicies with --policy-selector in one namespace each need their own.")
	fs.IntVar(&o.maxConcurrentReconciles, "max-concurrent-reconciles", 2,
		"How many FleetPolicies are reconciled at once.")
	fs.DurationVar(&o.gracefulShutdown, "graceful-shutdown-timeout", 30*time.Second,
		"How long running reconciles may take to finish on shutdown.")
	fs.DurationVar(&o.ssmPollInterval, "ssm-poll-interval", engine.DefaultPollInterval,
		"How soon a policy is reconciled again while its SSM commands run.")
	fs.IntVar(&o.awsParallelism, "aws-parallelism", engine.DefaultParallelism,
		"How many AWS calls one policy's pass may have in flight at once.")
	fs.BoolVar(&o.allowEndpointOverrides, "allow-endpoint-overrides", false,
		"Let FleetPolicies' spec.aws.endpoints name hosts outside AWS's domains (the fleet simulator, LocalStack). "+
			"Off, only https:// hosts of the service in AWS's partition domains and VPC endpoint names receive ecswin's signed requests.")
	var roles string
	fs.StringVar(&roles, "allowed-role-arns", "",
		"Comma-separated role ARN patterns (* and ?) that FleetPolicies' spec.aws.roleARN may name; empty allows no cross-account role.")
	fs.StringVar(&o.bootstrapSHA256, "bootstrap-sha256", "",
		"SHA-256 of the route-bootstrap.exe hosts download, pinned in the SSM document; default: the one this release embeds. "+
			"Needed for custom builds; a build that embeds none sends no runs without it.")
	fs.StringVar(&o.metricsCertPath, "metrics-cert-path", "",
		"Directory holding the metrics server's certificate and key (a mounted kubernetes.io/tls secret, e.g. cert-manager's); "+
			"re-read when they change. Empty serves a self-signed certificate.")
	fs.StringVar(&o.metricsCertName, "metrics-cert-name", "tls.crt", "The certificate's file name in --metrics-cert-path.")
	fs.StringVar(&o.metricsCertKey, "metrics-cert-key", "tls.key", "The key's file name in --metrics-cert-path.")
	var selector string
	fs.StringVar(&selector, "policy-selector", "",
		"Label selector (as kubectl -l takes it) of the FleetPolicies this manager reconciles; empty means all. "+
			"Give each of several manager Deployments a disjoint selector to split the FleetPolicies between them.")
	fs.BoolVar(&o.version, "version", false, "Print the version, commit and pinned route-bootstrap.exe SHA-256, and exit.")
	fs.BoolVar(&o.printSSMDocument, "print-ssm-document", false,
		"Print the SSM document this manager writes (pinning the route-bootstrap.exe SHA-256), to create it by hand, and exit.")
	o.zap = zap.Options{Development: false}
	o.zap.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.allowedRoleARNs, err = awsapi.ParseRolePatterns(roles); err != nil {
		return o, err
	}
	if o.policySelector, err = labels.Parse(selector); err != nil {
		return o, fmt.Errorf("--policy-selector %q is not a label selector (such as team=payments or tier in (prod,staging)): %w", selector, err)
	}
	if o.bootstrapSHA256 != "" {
		o.bootstrapSHA256 = strings.ToLower(o.bootstrapSHA256)
		if !buildinfo.ValidSHA256(o.bootstrapSHA256) {
			return o, fmt.Errorf("--bootstrap-sha256 %q is not a SHA-256: 64 hex digits, as sha256sum route-bootstrap.exe prints them", o.bootstrapSHA256)
		}
	} else {
		o.bootstrapSHA256 = buildinfo.RouteBootstrapSHA256()
	}
	return o, nil
}

// trust is the operator's trust boundary for the AWS clients.
func (o options) trust() awsapi.Trust {
	return awsapi.Trust{AllowEndpointOverrides: o.allowEndpointOverrides, AllowedRoleARNs: o.allowedRoleARNs}
}
