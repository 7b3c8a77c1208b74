package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// The event queue's URL names the host ecswin's SQS requests go to, so
// it passes the same trust check as the endpoint overrides.
func TestEventQueueTrust(t *testing.T) {
	tests := map[string]struct {
		url, region string
		ok          bool
	}{
		"regional":             {"https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events", "us-east-1", true},
		"FIPS":                 {"https://sqs-fips.us-gov-west-1.amazonaws.com/123456789012/ecswin-events", "us-gov-west-1", true},
		"dual-stack":           {"https://sqs.eu-west-1.api.aws/123456789012/ecswin-events", "eu-west-1", true},
		"legacy regional":      {"https://eu-west-1.queue.amazonaws.com/123456789012/ecswin-events", "eu-west-1", true},
		"legacy us-east-1":     {"https://queue.amazonaws.com/123456789012/ecswin-events", "us-east-1", true},
		"China":                {"https://sqs.cn-north-1.amazonaws.com.cn/123456789012/ecswin-events", "cn-north-1", true},
		"VPC endpoint":         {"https://vpce-0a1b2c3d4e5f-abcdefgh.sqs.us-east-1.vpce.amazonaws.com/123456789012/ecswin-events", "us-east-1", true},
		"simulator":            {"http://127.0.0.1:4566/123456789012/ecswin-events", "us-east-1", false},
		"another region":       {"https://sqs.eu-west-1.amazonaws.com/123456789012/ecswin-events", "us-east-1", false},
		"legacy, other region": {"https://queue.amazonaws.com/123456789012/ecswin-events", "eu-west-1", false},
		"suffix trick":         {"https://sqs.us-east-1.amazonaws.com.attacker.example/123456789012/q", "us-east-1", false},
		"another service":      {"https://ssm.us-east-1.amazonaws.com/123456789012/q", "us-east-1", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := SettingsFor("p", v1alpha1.AWSSpec{Region: tc.region}).WithEventQueue(&v1alpha1.EventsSpec{QueueURL: tc.url})
			err := Trust{}.Check(s)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var refused *RefusedError
			if !errors.As(err, &refused) || refused.Field != "spec.events.queueURL" || refused.Reason != ReasonEndpointNotAllowed ||
				!strings.Contains(err.Error(), FlagAllowEndpointOverrides) {
				t.Fatalf("err = %v, want a refusal of spec.events.queueURL naming %s", err, FlagAllowEndpointOverrides)
			}
			if err := (Trust{AllowEndpointOverrides: true}).Check(s); err != nil {
				t.Fatalf("refused with the flag: %v", err)
			}
		})
	}
}

// With an event queue the clients include SQS, at the queue's host;
// without one they do not.
func TestClientsWithAnEventQueue(t *testing.T) {
	creds := []func(*config.LoadOptions) error{config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("a", "b", ""))}
	cache := NewCache(Options{LoadOptions: creds})
	base := SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1"})
	cl, err := cache.ClientsFor(context.Background(), base)
	if err != nil || cl.SQS != nil {
		t.Fatalf("without a queue: %v, SQS %v", err, cl.SQS)
	}
	cl, err = cache.ClientsFor(context.Background(), base.WithEventQueue(&v1alpha1.EventsSpec{QueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events"}))
	if err != nil || cl.SQS == nil {
		t.Fatalf("with a queue: %v, SQS %v", err, cl.SQS)
	}
	if got, err := queueEndpoint("https://vpce-1-a.sqs.us-east-1.vpce.amazonaws.com/123456789012/q"); err != nil || got != "https://vpce-1-a.sqs.us-east-1.vpce.amazonaws.com" {
		t.Fatalf("endpoint %q %v", got, err)
	}
}

func TestSQSErrorsAndActions(t *testing.T) {
	api := func(code string) error {
		return fmt.Errorf("receiving: %w", &smithy.GenericAPIError{Code: code, Message: "m"})
	}
	for code, want := range map[string]Kind{
		"AWS.SimpleQueueService.NonExistentQueue": KindNotFound,
		"AccessDenied":          KindAccessDenied,
		"KmsAccessDenied":       KindAccessDenied,
		"RequestThrottled":      KindThrottled,
		"InvalidParameterValue": KindInvalidInput,
	} {
		if got := Classify(api(code)); got != want {
			t.Errorf("%s is %s, want %s", code, got, want)
		}
	}
	for op, want := range map[string]string{"DeleteMessageBatch": "sqs:DeleteMessage", "ReceiveMessage": "sqs:ReceiveMessage"} {
		if got := IAMAction("sqs", op); got != want {
			t.Errorf("IAMAction(sqs, %s) = %s, want %s", op, got, want)
		}
	}
}
