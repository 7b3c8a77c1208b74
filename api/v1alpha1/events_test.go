package v1alpha1_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

func queue(url string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.Events = &v1alpha1.EventsSpec{QueueURL: url} }
}

func TestEventQueueURLs(t *testing.T) {
	const msg = "spec.events.queueURL must be an SQS queue URL"
	requireRejected(t, "events", map[string]rejectCase{
		"empty":               {queue(""), msg},
		"no queue name":       {queue("https://sqs.us-east-1.amazonaws.com/123456789012"), msg},
		"short account":       {queue("https://sqs.us-east-1.amazonaws.com/1234/ecswin-events"), msg},
		"ARN, not URL":        {queue("arn:aws:sqs:us-east-1:123456789012:ecswin-events"), msg},
		"queue name too long": {queue("https://sqs.us-east-1.amazonaws.com/123456789012/" + strings.Repeat("q", 81)), msg},
		"dot in the name":     {queue("https://sqs.us-east-1.amazonaws.com/123456789012/ecswin.events"), msg},
		"user info":           {queue("https://me:pw@sqs.us-east-1.amazonaws.com/123456789012/q"), msg},
		"query":               {queue("https://sqs.us-east-1.amazonaws.com/123456789012/q?Action=ReceiveMessage"), msg},
		"CRLF":                {queue("https://sqs.us-east-1.amazonaws.com/123456789012/q\r\nHost: evil.example"), msg},
		"port 0":              {queue("https://sqs.us-east-1.amazonaws.com:0/123456789012/q"), msg},
		"too long":            {queue("https://" + strings.Repeat("a", 500) + ".example/123456789012/q"), msg},
	})
	ok := map[string]string{
		"regional":         "https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events",
		"legacy":           "https://us-west-2.queue.amazonaws.com/123456789012/ecswin_events",
		"VPC endpoint":     "https://vpce-0a1b2c3d4e5f-abcdefgh.sqs.us-east-1.vpce.amazonaws.com/123456789012/ecswin-events",
		"China":            "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/ecswin-events",
		"FIFO name":        "https://sqs.us-east-1.amazonaws.com/123456789012/ecswin-events.fifo",
		"simulator (form)": "http://127.0.0.1:4566/123456789012/ecswin-events",
	}
	i := 0
	for name, url := range ok {
		i++
		t.Run(name, func(t *testing.T) {
			p := validPolicy(fmt.Sprintf("events-ok-%d", i))
			queue(url)(&p.Spec)
			if err := testenv.Global.Client.Create(context.Background(), p, client.DryRunAll); err != nil {
				t.Fatalf("refused %s: %v", url, err)
			}
		})
	}
}
