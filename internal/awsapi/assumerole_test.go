package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

const assumeRoleAnswer = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials><AccessKeyId>AKIAASSUMED</AccessKeyId><SecretAccessKey>s</SecretAccessKey>
<SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ecswin/ecswin</Arn><AssumedRoleId>AROA:ecswin</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`

// With a role ARN, ECS calls are signed with credentials from
// sts:AssumeRole, asked of the STS endpoint override with the external ID
// and the policy's session name and source identity.
func TestAssumeRoleWithExternalID(t *testing.T) {
	var form map[string][]string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(assumeRoleAnswer))
	}))
	defer sts.Close()
	var auth string
	ecsSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"clusters":[],"failures":[]}`))
	}))
	defer ecsSrv.Close()

	cache := NewCache(Options{
		LoadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIABASE", "b", "")),
		},
		Trust: Trust{AllowEndpointOverrides: true, AllowedRoleARNs: RolePatterns{"arn:aws:iam::123456789012:role/ecswin*"}},
	})
	cl, err := cache.ClientsFor(context.Background(), SettingsFor("payments", v1alpha1.AWSSpec{
		Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/ecswin", ExternalID: "ext-42",
		Endpoints: &v1alpha1.EndpointsSpec{ECS: ecsSrv.URL, STS: sts.URL},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.ECS.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{}); err != nil {
		t.Fatal(err)
	}
	if got := form["Action"]; len(got) != 1 || got[0] != "AssumeRole" {
		t.Fatalf("STS got Action %v", got)
	}
	if got := form["ExternalId"]; len(got) != 1 || got[0] != "ext-42" {
		t.Errorf("ExternalId = %v, want ext-42", got)
	}
	if got := form["RoleArn"]; len(got) != 1 || got[0] != "arn:aws:iam::123456789012:role/ecswin" {
		t.Errorf("RoleArn = %v", got)
	}
	if got := form["RoleSessionName"]; len(got) != 1 || got[0] != "ecswin-payments" {
		t.Errorf("RoleSessionName = %v, want the policy's ecswin-payments", got)
	}
	if got := form["SourceIdentity"]; len(got) != 1 || got[0] != "ecswin-payments" {
		t.Errorf("SourceIdentity = %v, want the policy's ecswin-payments", got)
	}
	if !strings.Contains(auth, "Credential=AKIAASSUMED/") {
		t.Errorf("ECS call signed with %q, want the assumed credentials", auth)
	}
}
