package awsapi

import (
	"strings"
	"testing"
)

func TestCheckEndpoint(t *testing.T) {
	tests := map[string]struct {
		service, url, region string
		ok                   bool
		why                  string
	}{
		"regional":                 {"ecs", "https://ecs.us-east-1.amazonaws.com", "us-east-1", true, ""},
		"regional with slash":      {"ssm", "https://ssm.eu-west-1.amazonaws.com/", "eu-west-1", true, ""},
		"explicit 443":             {"ssm", "https://ssm.eu-west-1.amazonaws.com:443", "eu-west-1", true, ""},
		"fips":                     {"ecs", "https://ecs-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1", true, ""},
		"dual stack":               {"ssm", "https://ssm.us-east-1.api.aws", "us-east-1", true, ""},
		"china":                    {"ecs", "https://ecs.cn-north-1.amazonaws.com.cn", "cn-north-1", true, ""},
		"eusc":                     {"ssm", "https://ssm.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1", true, ""},
		"iso-b":                    {"ecs", "https://ecs.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1", true, ""},
		"vpc endpoint":             {"ssm", "https://vpce-0a1b2c3d4e5f67890-abcdefgh.ssm.us-east-1.vpce.amazonaws.com", "us-east-1", true, ""},
		"zonal vpc endpoint":       {"ecs", "https://vpce-0a1b2c3d-5e6f7g8h-us-east-1a.ecs.us-east-1.vpce.amazonaws.com", "us-east-1", true, ""},
		"global sts":               {"sts", "https://sts.amazonaws.com", "us-east-1", true, ""},
		"upper case host":          {"ecs", "https://ECS.us-east-1.amazonaws.com", "us-east-1", true, ""},
		"http":                     {"ecs", "http://ecs.us-east-1.amazonaws.com", "us-east-1", false, "not https://"},
		"simulator":                {"ecs", "http://127.0.0.1:4566", "us-east-1", false, "not https://"},
		"https localhost":          {"ecs", "https://localhost", "us-east-1", false, "not an ECS endpoint"},
		"other service's host":     {"ecs", "https://ssm.us-east-1.amazonaws.com", "us-east-1", false, "not an ECS endpoint"},
		"API Gateway under aws":    {"ecs", "https://abc123.execute-api.us-east-1.amazonaws.com", "us-east-1", false, "not an ECS endpoint"},
		"S3 website under aws":     {"ssm", "https://bucket.s3-website-us-east-1.amazonaws.com", "us-east-1", false, "not an SSM endpoint"},
		"suffix trick":             {"ecs", "https://ecs.us-east-1.amazonaws.com.evil.example", "us-east-1", false, "not an ECS endpoint"},
		"another region":           {"ecs", "https://ecs.eu-west-1.amazonaws.com", "us-east-1", false, "not an ECS endpoint"},
		"wrong partition domain":   {"ecs", "https://ecs.cn-north-1.amazonaws.com", "cn-north-1", false, "not an ECS endpoint"},
		"user info":                {"ecs", "https://user:pw@ecs.us-east-1.amazonaws.com", "us-east-1", false, "user info"},
		"query":                    {"ecs", "https://ecs.us-east-1.amazonaws.com/?x=1", "us-east-1", false, "query"},
		"other port":               {"ecs", "https://ecs.us-east-1.amazonaws.com:8443", "us-east-1", false, "listen on 443"},
		"no host":                  {"ecs", "https://", "us-east-1", false, "no host"},
		"control character":        {"ecs", "https://ecs.us-east-1.amazonaws.com\n", "us-east-1", false, "control"},
		"bidi override":            {"ecs", "https://ecs.us-east-1.amazonaws.com\u202e", "us-east-1", false, "bidirectional"},
		"unknown partition region": {"ecs", "https://ecs.xx-east-1.amazonaws.com", "xx-east-1", false, "no AWS partition"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := checkEndpoint(tc.service, tc.url, tc.region)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("err = %v, want it to say %q", err, tc.why)
			}
		})
	}
}
