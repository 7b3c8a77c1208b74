package awsapi

import (
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// The target ignores how the clients reach AWS: retry mode, endpoints and
// session name change nothing; the account, region and role do.
func TestTargetIsTheAccountAndRegion(t *testing.T) {
	role := "arn:aws:iam::210987654321:role/ecswin-fleet"
	base := SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: role})
	same := map[string]Settings{
		"adaptive retries": SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: role, RetryMode: v1alpha1.RetryAdaptive}),
		"VPC endpoints": SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: role,
			Endpoints: &v1alpha1.EndpointsSpec{ECS: "https://vpce-1.ecs.us-east-1.vpce.amazonaws.com"}}),
		"another policy":      SettingsFor("q", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: role}),
		"upper-case region":   SettingsFor("p", v1alpha1.AWSSpec{Region: "US-EAST-1", RoleARN: role}),
		"another external ID": SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: role, ExternalID: "x-1"}),
	}
	for name, s := range same {
		if s.Target() != base.Target() {
			t.Errorf("%s: target %+v, want %+v", name, s.Target(), base.Target())
		}
	}
	other := map[string]Settings{
		"another region":  SettingsFor("p", v1alpha1.AWSSpec{Region: "eu-west-1", RoleARN: role}),
		"another account": SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1", RoleARN: "arn:aws:iam::111111111111:role/ecswin-fleet"}),
		"no role":         SettingsFor("p", v1alpha1.AWSSpec{Region: "us-east-1"}),
	}
	for name, s := range other {
		if s.Target() == base.Target() {
			t.Errorf("%s: same target %+v as the base", name, s.Target())
		}
	}
	if got := base.Target(); got.Partition != "aws" || got.Account != "210987654321" || got.Region != "us-east-1" {
		t.Errorf("target = %+v", got)
	}
	gov := SettingsFor("p", v1alpha1.AWSSpec{Region: "us-gov-west-1"}).Target()
	if gov.Partition != "aws-us-gov" || gov.Account != "" {
		t.Errorf("GovCloud target without a role = %+v", gov)
	}
	if base.Target().Hosts() != other["no role"].Target().Hosts() {
		t.Error("a host reached with and without a role is two hosts")
	}
}
