package v1alpha1_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

// legitimate are policies operators write, across every partition: the
// trust rules must not refuse them.
var legitimate = map[string]func(*v1alpha1.FleetPolicySpec){
	"aws commercial with IMDS route opted in": func(s *v1alpha1.FleetPolicySpec) {
		s.Route.Destinations = []string{"169.254.170.2/32", "169.254.169.254/32"}
	},
	"aws-cn by ARN with a role": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "cn-north-1", RoleARN: "arn:aws-cn:iam::123456789012:role/ecswin-fleet", ExternalID: "cn-tenant-01"}
		s.Clusters = []string{"arn:aws-cn:ecs:cn-north-1:123456789012:cluster/windows"}
	},
	"aws-us-gov with FIPS endpoints": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "us-gov-west-1", Endpoints: &v1alpha1.EndpointsSpec{
			ECS: "https://ecs-fips.us-gov-west-1.amazonaws.com", SSM: "https://ssm-fips.us-gov-west-1.amazonaws.com"}}
		s.Clusters = []string{"arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/gov-windows", "batch"}
	},
	"aws-iso": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "us-iso-east-1", RoleARN: "arn:aws-iso:iam::123456789012:role/ecswin"}
	},
	"aws-iso-b": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "us-isob-east-1", RoleARN: "arn:aws-iso-b:iam::123456789012:role/ecswin"}
	},
	"aws-iso-e": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "eu-isoe-west-1", RoleARN: "arn:aws-iso-e:iam::123456789012:role/ecswin"}
	},
	"aws-iso-f": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "us-isof-south-1", RoleARN: "arn:aws-iso-f:iam::123456789012:role/ecswin"}
	},
	"aws-eusc by ARN": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "eusc-de-east-1", RoleARN: "arn:aws-eusc:iam::123456789012:role/ecswin"}
		s.Clusters = []string{"arn:aws-eusc:ecs:eusc-de-east-1:123456789012:cluster/windows"}
	},
	"VPC endpoints, a role with a path and every external ID character": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS = v1alpha1.AWSSpec{Region: "eu-west-1",
			RoleARN:    "arn:aws:iam::123456789012:role/platform/ecs/ecswin-fleet",
			ExternalID: "Ab0_+=,.@:/-xyz",
			Endpoints: &v1alpha1.EndpointsSpec{
				ECS: "https://vpce-0a1b2c3d4e5f67890-abcdefgh.ecs.eu-west-1.vpce.amazonaws.com",
				SSM: "https://vpce-0a1b2c3d4e5f67890-abcdefgh-eu-west-1a.ssm.eu-west-1.vpce.amazonaws.com",
				STS: "https://sts.eu-west-1.amazonaws.com"}}
	},
	"the fleet simulator's endpoint (the manager's flag decides)": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.Endpoints = &v1alpha1.EndpointsSpec{ECS: "http://127.0.0.1:4566", SSM: "http://fleetsim.ecswin-system.svc:4566"}
	},
	"dual-stack endpoints": func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.Endpoints = &v1alpha1.EndpointsSpec{ECS: "https://ecs.us-east-1.api.aws", SSM: "https://ssm.us-east-1.api.aws/"}
	},
	"https mirror with a port and a presigned query": func(s *v1alpha1.FleetPolicySpec) {
		s.Remediation.Bootstrap.Source = "https://artifacts.corp.example.com:8443/ecswin/v1/route-bootstrap.exe?X-Amz-Expires=3600&versionId=a%2B1"
	},
	"S3 bucket with dots and four wildcards": func(s *v1alpha1.FleetPolicySpec) {
		s.Remediation.Bootstrap.Source = "s3://my.ecswin.artifacts/route-bootstrap/v1/route-bootstrap.exe"
		s.Route.AdapterPattern = "Hyper-V * Ethernet Adapter #?*?"
	},
	"custom link-local route, durations as people write them": func(s *v1alpha1.FleetPolicySpec) {
		s.Route.Destinations = []string{"169.254.170.2/32", "169.254.1.10/32"}
		s.Remediation.DocumentName = "ecswin-route-bootstrap-payments"
		s.Remediation.CommandTimeout = metav1.Duration{Duration: 90 * time.Second}
		s.Intervals = v1alpha1.IntervalsSpec{Inventory: metav1.Duration{Duration: 90 * time.Minute / 2}, Reverify: metav1.Duration{Duration: 90 * time.Minute}}
	},
}

func TestLegitimatePoliciesAreAccepted(t *testing.T) {
	if len(legitimate) < 10 {
		t.Fatalf("only %d legitimate policies; want at least 10", len(legitimate))
	}
	i := 0
	for name, mutate := range legitimate {
		i++
		t.Run(name, func(t *testing.T) {
			p := validPolicy(fmt.Sprintf("legit-%d", i))
			mutate(&p.Spec)
			if err := testenv.Global.Client.Create(context.Background(), p, client.DryRunAll); err != nil {
				t.Fatalf("the API server refused a legitimate policy: %v", err)
			}
		})
	}
}
