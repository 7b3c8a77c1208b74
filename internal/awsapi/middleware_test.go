package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) ObserveAPICall(c APICall) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c.Policy+"/"+c.Service+"/"+c.Operation+"/"+c.Result)
}

// Every attempt is observed, the throttled one included, through the real
// SDK stack over HTTP.
func TestCallAccountingSeesEachAttempt(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"ThrottlingException","message":"Rate exceeded"}`))
			return
		}
		_, _ = w.Write([]byte(`{"clusters":[],"failures":[]}`))
	}))
	defer srv.Close()
	rec := &recorder{}
	cache := NewCache(Options{
		Observer:   rec,
		MaxBackoff: time.Millisecond,
		Trust:      Trust{AllowEndpointOverrides: true},
		LoadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("a", "b", "")),
		},
	})
	spec := v1alpha1.AWSSpec{Region: "us-east-1", Endpoints: &v1alpha1.EndpointsSpec{ECS: srv.URL}}
	cl, err := cache.Clients(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.ECS.DescribeClusters(WithPolicy(context.Background(), "ns/p"), &ecs.DescribeClustersInput{Clusters: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"ns/p/ECS/DescribeClusters/throttled", "ns/p/ECS/DescribeClusters/success"}
	if len(rec.calls) != 2 || rec.calls[0] != want[0] || rec.calls[1] != want[1] {
		t.Errorf("observed %v, want %v", rec.calls, want)
	}
	again, err := cache.Clients(context.Background(), spec)
	if err != nil || again.ECS != cl.ECS {
		t.Errorf("the cache built new clients for the same settings")
	}
}

func TestNewConfig(t *testing.T) {
	creds := config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("a", "b", ""))
	if _, err := NewConfig(context.Background(), Settings{}, Options{}); err == nil {
		t.Error("empty region accepted")
	}
	cfg, err := NewConfig(context.Background(), Settings{Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:role/x", ExternalID: "ext"},
		Options{LoadOptions: []func(*config.LoadOptions) error{creds}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-west-1" || cfg.Credentials == nil {
		t.Errorf("config = region %q credentials %v", cfg.Region, cfg.Credentials)
	}
	if got := cfg.Retryer().MaxAttempts(); got != DefaultMaxAttempts {
		t.Errorf("max attempts = %d, want %d", got, DefaultMaxAttempts)
	}
	if _, ok := cfg.Retryer().(*retry.Standard); !ok {
		t.Errorf("retryer %T, want the standard one by default", cfg.Retryer())
	}
	adaptive, err := NewConfig(context.Background(), Settings{Region: "eu-west-1", RetryMode: v1alpha1.RetryAdaptive},
		Options{LoadOptions: []func(*config.LoadOptions) error{creds}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := adaptive.Retryer().(*retry.AdaptiveMode); !ok {
		t.Errorf("retryer %T, want adaptive", adaptive.Retryer())
	}
}

// The operations metrics start at zero are named as the middleware names
// the calls it observes.
func TestAPIOperationsAreTheMiddlewaresNames(t *testing.T) {
	ops := APIOperations()
	if len(ops) != len(Operations)+1 {
		t.Fatalf("APIOperations has %d entries, want the %d of Operations and AssumeRole", len(ops), len(Operations)+1)
	}
	want := map[Operation]bool{{ecs.ServiceID, "DescribeClusters"}: true, {ssm.ServiceID, "SendCommand"}: true, {sts.ServiceID, "AssumeRole"}: true}
	for _, op := range ops {
		delete(want, op)
	}
	if len(want) > 0 {
		t.Errorf("APIOperations lacks %v (service IDs as the SDK spells them)", want)
	}
}
