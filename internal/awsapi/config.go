package awsapi

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-logr/logr"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// Defaults for the SDK retryer. Throttles are expected at fleet scale, so
// a call gets more attempts than the SDK's default of three.
const (
	DefaultMaxAttempts = 8
	DefaultMaxBackoff  = 20 * time.Second
)

// Settings are the AWS parts of a policy that decide which clients it
// needs; equal settings share clients.
type Settings struct {
	Region      string
	RoleARN     string
	ExternalID  string
	ECSEndpoint string
	SSMEndpoint string
	STSEndpoint string
	RetryMode   v1alpha1.RetryMode
	// SessionName is the RoleSessionName and SourceIdentity of the
	// AssumeRole (SessionName of the policy); empty only without a role.
	SessionName string
	// EventQueueURL is spec.events.queueURL; the clients then include
	// SQS, at the queue's host.
	EventQueueURL string
}

// WithEventQueue is s with the event queue of a policy (nil: none).
func (s Settings) WithEventQueue(e *v1alpha1.EventsSpec) Settings {
	s.EventQueueURL = ""
	if e != nil {
		s.EventQueueURL = e.QueueURL
	}
	return s
}

// SettingsFor reads the AWS settings of the policy named policy: with a
// role, its session carries the policy's name (see SessionName).
func SettingsFor(policy string, spec v1alpha1.AWSSpec) Settings {
	s := SettingsFrom(spec)
	if s.RoleARN != "" {
		s.SessionName = SessionName(policy)
	}
	return s
}

// SettingsFrom reads the AWS settings of a policy spec, with the session
// name of an unnamed policy; SettingsFor names it.
func SettingsFrom(spec v1alpha1.AWSSpec) Settings {
	s := Settings{
		Region:     spec.Region,
		RoleARN:    spec.RoleARN,
		ExternalID: spec.ExternalID,
		RetryMode:  spec.RetryMode,
	}
	if e := spec.Endpoints; e != nil {
		s.ECSEndpoint, s.SSMEndpoint, s.STSEndpoint = e.ECS, e.SSM, e.STS
	}
	if s.RetryMode == "" {
		s.RetryMode = v1alpha1.RetryStandard
	}
	if s.RoleARN != "" {
		s.SessionName = SessionName("")
	}
	return s
}

// Options tune how configs are built; the zero value is production.
type Options struct {
	// Observer receives one call per HTTP attempt; nil records nothing.
	Observer CallObserver
	// LoadOptions are passed to config.LoadDefaultConfig after ecswin's
	// own, for example static credentials or an HTTP client in tests.
	LoadOptions []func(*config.LoadOptions) error
	// MaxAttempts per call, retries included; 0 means DefaultMaxAttempts.
	MaxAttempts int
	// MaxBackoff between attempts; 0 means DefaultMaxBackoff.
	MaxBackoff time.Duration
	// Trust is what the operator allows policies (endpoints, roles);
	// the zero value allows AWS's own endpoints and no role.
	Trust Trust
	// Logger receives the SDK's own log lines outside any call's context
	// (within one, the context's logr logger does); the zero value
	// discards them. Nothing goes to stderr.
	Logger logr.Logger
}

// NewConfig builds the aws.Config of one policy: its region, its retry
// mode, call accounting, and, when a role is named, credentials from
// sts:AssumeRole (with the external ID, and the session name as
// RoleSessionName and SourceIdentity) cached by the SDK. It does not
// check opts.Trust: Cache does, before building anything.
func NewConfig(ctx context.Context, s Settings, opts Options) (aws.Config, error) {
	if s.Region == "" {
		return aws.Config{}, fmt.Errorf("loading aws config: region is empty")
	}
	load := make([]func(*config.LoadOptions) error, 0, 3+len(opts.LoadOptions))
	load = append(load, config.WithRegion(s.Region), config.WithRetryer(newRetryer(s.RetryMode, opts)),
		config.WithLogger(sdkLogger{log: opts.Logger}))
	load = append(load, opts.LoadOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading aws config: %w", err)
	}
	cfg.APIOptions = append(cfg.APIOptions, callAccounting(opts.Observer))
	if s.RoleARN != "" {
		stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) {
			if s.STSEndpoint != "" {
				o.BaseEndpoint = aws.String(s.STSEndpoint)
			}
		})
		provider := stscreds.NewAssumeRoleProvider(stsClient, s.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = s.SessionName
			if o.RoleSessionName == "" {
				o.RoleSessionName = SessionName("")
			}
			// SourceIdentity stays with the session through role
			// chaining, so CloudTrail in the target account shows
			// which policy acted (the role must allow
			// sts:SetSourceIdentity; see config/iam).
			o.SourceIdentity = aws.String(o.RoleSessionName)
			if s.ExternalID != "" {
				o.ExternalID = aws.String(s.ExternalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
	}
	return cfg, nil
}

func newRetryer(mode v1alpha1.RetryMode, opts Options) func() aws.Retryer {
	attempts, backoff := opts.MaxAttempts, opts.MaxBackoff
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	if backoff <= 0 {
		backoff = DefaultMaxBackoff
	}
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.MaxBackoff = backoff
	}
	return func() aws.Retryer {
		if mode == v1alpha1.RetryAdaptive {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, standard)
			})
		}
		return retry.NewStandard(standard)
	}
}
