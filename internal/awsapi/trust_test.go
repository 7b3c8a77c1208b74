package awsapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// A refused endpoint or role gets a RefusedError naming the field and the
// operator's flag, and no request reaches the endpoint.
func TestTrustRefusesBeforeAnythingIsSent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	creds := []func(*config.LoadOptions) error{config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("a", "b", ""))}
	tests := map[string]struct {
		trust       Trust
		spec        v1alpha1.AWSSpec
		field, flag string
		reason      string
	}{
		"simulator endpoint without the flag": {
			spec:  v1alpha1.AWSSpec{Region: "us-east-1", Endpoints: &v1alpha1.EndpointsSpec{ECS: srv.URL}},
			field: "spec.aws.endpoints.ecs", flag: FlagAllowEndpointOverrides, reason: ReasonEndpointNotAllowed,
		},
		"foreign sts endpoint": {
			spec: v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/ecswin",
				Endpoints: &v1alpha1.EndpointsSpec{STS: "https://sts.us-east-1.amazonaws.com.attacker.example"}},
			trust: Trust{AllowedRoleARNs: RolePatterns{"arn:aws:iam::123456789012:role/*"}},
			field: "spec.aws.endpoints.sts", flag: FlagAllowEndpointOverrides, reason: ReasonEndpointNotAllowed,
		},
		"role with no allowlist": {
			spec:  v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/ecswin", Endpoints: &v1alpha1.EndpointsSpec{STS: srv.URL}},
			trust: Trust{AllowEndpointOverrides: true},
			field: "spec.aws.roleARN", flag: FlagAllowedRoleARNs, reason: ReasonRoleNotAllowed,
		},
		"role outside the allowlist": {
			spec:  v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::999999999999:role/admin", Endpoints: &v1alpha1.EndpointsSpec{STS: srv.URL}},
			trust: Trust{AllowEndpointOverrides: true, AllowedRoleARNs: RolePatterns{"arn:aws:iam::123456789012:role/ecswin-*"}},
			field: "spec.aws.roleARN", flag: FlagAllowedRoleARNs, reason: ReasonRoleNotAllowed,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cache := NewCache(Options{LoadOptions: creds, Trust: tc.trust})
			_, err := cache.ClientsFor(context.Background(), SettingsFor("p", tc.spec))
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("err = %v, want a *RefusedError", err)
			}
			if refused.Field != tc.field || refused.Reason != tc.reason {
				t.Errorf("refused %s (%s), want %s (%s)", refused.Field, refused.Reason, tc.field, tc.reason)
			}
			if !strings.Contains(err.Error(), tc.field) || !strings.Contains(err.Error(), tc.flag) {
				t.Errorf("message %q does not name %s and %s", err, tc.field, tc.flag)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d request(s) reached the refused endpoints", n)
	}
}

// What the operator allows is used as is.
func TestTrustAllows(t *testing.T) {
	ok := map[string]struct {
		trust Trust
		spec  v1alpha1.AWSSpec
	}{
		"no overrides, no role": {spec: v1alpha1.AWSSpec{Region: "us-east-1"}},
		"VPC endpoint": {spec: v1alpha1.AWSSpec{Region: "us-east-1",
			Endpoints: &v1alpha1.EndpointsSpec{SSM: "https://vpce-0a1b2c3d-5e6f7g8h.ssm.us-east-1.vpce.amazonaws.com"}}},
		"allowed role": {spec: v1alpha1.AWSSpec{Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:role/ecswin-fleet"},
			trust: Trust{AllowedRoleARNs: RolePatterns{"arn:aws:iam::123456789012:role/ecswin-*"}}},
		"simulator with the flag": {spec: v1alpha1.AWSSpec{Region: "us-east-1", Endpoints: &v1alpha1.EndpointsSpec{ECS: "http://127.0.0.1:4566"}},
			trust: Trust{AllowEndpointOverrides: true}},
	}
	for name, tc := range ok {
		if err := tc.trust.Check(SettingsFor("p", tc.spec)); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
}
