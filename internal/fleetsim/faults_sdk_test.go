package fleetsim_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

func TestThrottlesAreClassifiedAndRetried(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	e.sim.SetThrottleFraction(1)
	_, err := e.ecs.ListClusters(ctx(t), &ecs.ListClustersInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ThrottlingException" {
		t.Fatalf("got %v, want ThrottlingException", err)
	}
	if !retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(apiErr).Bool() {
		t.Fatal("the SDK does not classify the answer as a throttle")
	}

	// 30% throttled and 5% server errors: the standard retryer gets through.
	e.sim.SetFaults(fleetsim.FaultConfig{ThrottleFraction: 0.3, ServerErrorFraction: 0.05})
	e.sim.ResetCalls()
	retrying := ecs.NewFromConfig(awsConfig(10), func(o *ecs.Options) { o.BaseEndpoint = e.ecs.Options().BaseEndpoint })
	for range 40 {
		if _, err := retrying.ListClusters(ctx(t), &ecs.ListClustersInput{}); err != nil {
			t.Fatalf("retried call failed: %v", err)
		}
	}
	got := e.sim.Calls().Get("ecs", "ListClusters")
	if got.Throttled == 0 || got.ServerErrors == 0 || got.Calls < 40+got.Throttled+got.ServerErrors {
		t.Fatalf("accounting %+v, want 40 successes plus the throttled and failed attempts", got)
	}
}

func TestFaultsCanTargetOneOperation(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	e.sim.SetFaults(fleetsim.FaultConfig{ServerErrorFraction: 1, Operations: []string{"DescribeInstanceInformation"}})
	if _, err := e.ecs.ListClusters(ctx(t), &ecs.ListClustersInput{}); err != nil {
		t.Fatalf("untargeted operation failed: %v", err)
	}
	_, err := e.ssm.DescribeInstanceInformation(ctx(t), &ssm.DescribeInstanceInformationInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InternalServerError" {
		t.Fatalf("got %v, want InternalServerError", err)
	}
	if c := e.sim.Calls().Get("ssm", "DescribeInstanceInformation"); c.ServerErrors != 3 || c.Calls != 3 { // three attempts
		t.Fatalf("accounting %+v", c)
	}
}

func TestSameSeedSameFaults(t *testing.T) {
	outcomes := func() []int {
		e := newEnv(t, "small", fleetsim.Options{Seed: 42})
		e.sim.SetThrottleFraction(0.5)
		var got []int
		for range 20 {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
			req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters")
			rec := httptest.NewRecorder()
			e.sim.Handler().ServeHTTP(rec, req)
			got = append(got, rec.Code)
		}
		return got
	}
	a, b := outcomes(), outcomes()
	throttled := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("call %d differs between runs with the same seed", i)
		}
		if a[i] != http.StatusOK {
			throttled++
		}
	}
	if throttled == 0 || throttled == len(a) {
		t.Fatalf("%d of %d throttled at fraction 0.5", throttled, len(a))
	}
}
