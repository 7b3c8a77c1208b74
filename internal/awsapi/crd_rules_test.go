package awsapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/policyfile"
)

// policy is the smallest policy file with aws as its spec.aws.
func policy(aws string) []byte {
	return []byte(fmt.Sprintf(`apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata: {name: p}
spec:
  aws: %s
  clusters: [c]
  remediation: {bootstrap: {source: "s3://bucket/rb.exe"}}
`, aws))
}

// The CRD's region rule (run by policyfile with the CRD's own CEL) takes
// every region code of every partition the SDK knows, and a role ARN in
// each of those partitions.
func TestCRDAcceptsEverySDKRegionAndPartition(t *testing.T) {
	for id, regions := range sdkRegions(t) {
		for _, region := range regions {
			if _, err := policyfile.Parse(policy(fmt.Sprintf("{region: %s}", region))); err != nil {
				t.Errorf("region %s (%s) refused: %v", region, id, err)
			}
		}
		role := fmt.Sprintf("arn:%s:iam::123456789012:role/ecswin", id)
		if _, err := policyfile.Parse(policy(fmt.Sprintf("{region: %s, roleARN: %q}", regions[0], role))); err != nil {
			t.Errorf("role %s refused: %v", role, err)
		}
	}
}

// What the CRD refuses as a region is not a region of any partition.
func TestCRDRegionRuleRefusesNonRegions(t *testing.T) {
	for _, r := range []string{"US-EAST-1", "us-east", "useast1", "xx-east-1", "us-east-1a", "aws-global", "eusc-fr-east-1", "us-gov-west-1 "} {
		_, err := policyfile.Parse(policy(fmt.Sprintf("{region: %q}", r)))
		if err == nil || !strings.Contains(err.Error(), "is not an AWS region code") {
			t.Errorf("region %q: err = %v", r, err)
		}
		if _, ok := PartitionOf(r); ok && r != "US-EAST-1" {
			t.Errorf("%q is in a partition but the CRD refuses it", r)
		}
	}
}
