package fleetsim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/faults"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// t0 is the fake clock's start, a fixed instant so runs are reproducible.
var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

type env struct {
	sim   *fleetsim.Sim
	clock *clocktesting.FakeClock
	ecs   *ecs.Client
	ssm   *ssm.Client
	sqs   *sqs.Client
	url   string
}

// newEnv starts a simulator of the named built-in scenario on a fake
// clock and returns real SDK clients pointed at it.
func newEnv(t testing.TB, scenarioName string, opts fleetsim.Options) *env {
	t.Helper()
	s, err := fleetsim.BuiltinScenario(scenarioName)
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFor(t, s, opts)
}

func newEnvFor(t testing.TB, s *fleetsim.Scenario, opts fleetsim.Options) *env {
	t.Helper()
	clk := clocktesting.NewFakeClock(t0)
	if opts.Clock == nil {
		opts.Clock = clk
	}
	sim, err := fleetsim.New(opts, s)
	if err != nil {
		t.Fatal(err)
	}
	url, stop := sim.Start()
	t.Cleanup(stop)
	// Three attempts: throttles and server errors still surface, but the
	// SDK's own race (it closes a request body the transport may still
	// be reading, so the connection dies under a fast local server; see
	// aws-sdk-go-v2#2737) is retried as it would be in production.
	cfg := awsConfig(3)
	return &env{
		sim:   sim,
		clock: clk,
		ecs:   ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) }),
		ssm:   ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(url) }),
		sqs:   sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) }),
		url:   url,
	}
}

// awsConfig is a config with dummy credentials and the standard retryer
// limited to attempts (1 means no retries), backing off briefly.
func awsConfig(attempts int) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDSIMULATOR", "simulator-secret", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.Backoff = retry.NewExponentialJitterBackoff(2 * time.Millisecond)
			})
		},
	}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func eventAt(after time.Duration, action string, count int, cluster string) scenario.Event {
	return scenario.Event{After: faults.Duration(after), Action: action, Count: count, Cluster: cluster}
}

// apiErrorCase is a call that must fail with an AWS error code.
type apiErrorCase struct {
	call func() error
	code string
}

// requireAPIErrors runs each case as a subtest and checks its error code.
func requireAPIErrors(t *testing.T, cases map[string]apiErrorCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v, want an API error", err)
			}
			if apiErr.ErrorCode() != tc.code {
				t.Fatalf("got code %s (%v), want %s", apiErr.ErrorCode(), err, tc.code)
			}
		})
	}
}
