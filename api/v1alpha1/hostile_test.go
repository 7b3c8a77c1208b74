package v1alpha1_test

import (
	"context"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

func endpoints(e v1alpha1.EndpointsSpec) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.AWS.Endpoints = &e }
}

func role(arn string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.AWS.RoleARN = arn }
}

func source(url string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = url }
}

func destinations(d ...string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.Route.Destinations = d }
}

func document(name string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.Remediation.DocumentName = name }
}

func adapter(p string) func(*v1alpha1.FleetPolicySpec) {
	return func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = p }
}

// hostile are objects someone who may write FleetPolicies could send to
// take ecswin's credentials, roles or hosts somewhere else, by class.
var hostile = map[string]rejectCase{
	// Endpoints: the form the CRD checks (which hosts may be used is the
	// manager's allowlist; see internal/awsapi).
	"endpoint with user info":     {endpoints(v1alpha1.EndpointsSpec{ECS: "https://user:pw@ecs.us-east-1.amazonaws.com"}), "spec.aws.endpoints.ecs must be an http:// or https:// URL"},
	"endpoint with CRLF":          {endpoints(v1alpha1.EndpointsSpec{SSM: "https://ssm.us-east-1.amazonaws.com\r\nHost: evil.example"}), "spec.aws.endpoints.ssm must be an http:// or https:// URL"},
	"endpoint with bidi override": {endpoints(v1alpha1.EndpointsSpec{STS: "https://sts.amazonaws.com\u202emoc.live"}), "spec.aws.endpoints.sts must be an http:// or https:// URL"},
	"endpoint with no host":       {endpoints(v1alpha1.EndpointsSpec{ECS: "https://"}), "spec.aws.endpoints.ecs must be"},
	"endpoint with a query":       {endpoints(v1alpha1.EndpointsSpec{SSM: "https://ssm.us-east-1.amazonaws.com/?redirect=evil"}), "spec.aws.endpoints.ssm must be"},
	"endpoint with a fragment":    {endpoints(v1alpha1.EndpointsSpec{ECS: "https://ecs.us-east-1.amazonaws.com#x"}), "spec.aws.endpoints.ecs must be"},
	"endpoint on port 0":          {endpoints(v1alpha1.EndpointsSpec{ECS: "https://ecs.us-east-1.amazonaws.com:0"}), "spec.aws.endpoints.ecs must be"},
	"endpoint on port 70000":      {endpoints(v1alpha1.EndpointsSpec{SSM: "https://ssm.us-east-1.amazonaws.com:70000"}), "spec.aws.endpoints.ssm must be"},
	"endpoint file scheme":        {endpoints(v1alpha1.EndpointsSpec{STS: "file:///var/run/secrets/eks.amazonaws.com/serviceaccount/token"}), "spec.aws.endpoints.sts must be"},
	"endpoint too long":           {endpoints(v1alpha1.EndpointsSpec{ECS: "https://ecs.us-east-1.amazonaws.com/" + strings.Repeat("a", 600)}), "of at most 512 characters"},

	// Roles and external IDs.
	"role in a made-up partition": {role("arn:aws-evil:iam::123456789012:role/ecswin"), "spec.aws.roleARN must be an IAM role ARN"},
	"user instead of a role":      {role("arn:aws:iam::123456789012:user/admin"), "spec.aws.roleARN must be an IAM role ARN"},
	"role name wildcard":          {role("arn:aws:iam::123456789012:role/*"), "spec.aws.roleARN must be an IAM role ARN"},
	"role name of 65 characters":  {role("arn:aws:iam::123456789012:role/" + strings.Repeat("r", 65)), "spec.aws.roleARN must be an IAM role ARN"},
	"role path over 512":          {role("arn:aws:iam::123456789012:role/" + strings.Repeat("p", 520) + "/ecswin"), "spec.aws.roleARN must be an IAM role ARN"},
	"role ARN over 2048":          {role("arn:aws:iam::123456789012:role/" + strings.Repeat("p/", 1100) + "x"), "spec.aws.roleARN must be at most 2048 characters"},
	"external ID without a role": {func(s *v1alpha1.FleetPolicySpec) { s.AWS.ExternalID = "tenant-42" },
		"spec.aws.externalID is sent only with sts:AssumeRole: set spec.aws.roleARN"},
	"external ID with a space": {func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.RoleARN, s.AWS.ExternalID = "arn:aws:iam::123456789012:role/x", "tenant 42"
	},
		"spec.aws.externalID must be 2-1224 characters"},
	"external ID with a semicolon": {func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.RoleARN, s.AWS.ExternalID = "arn:aws:iam::123456789012:role/x", "a;b"
	},
		"spec.aws.externalID must be 2-1224 characters"},
	"external ID of one character": {func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.RoleARN, s.AWS.ExternalID = "arn:aws:iam::123456789012:role/x", "x"
	},
		"spec.aws.externalID must be 2-1224 characters"},
	"external ID over 1224": {func(s *v1alpha1.FleetPolicySpec) {
		s.AWS.RoleARN, s.AWS.ExternalID = "arn:aws:iam::123456789012:role/x", strings.Repeat("e", 1300)
	},
		"spec.aws.externalID must be 2-1224 characters"},

	// Regions and clusters.
	"availability zone as region": {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Region = "us-east-1a" }, "spec.aws.region us-east-1a is not an AWS region code"},
	"region in no partition":      {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Region = "eusc-fr-east-1" }, "spec.aws.region eusc-fr-east-1 is not an AWS region code"},
	"region over its length":      {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Region = strings.Repeat("us-", 20) + "1" }, "is not an AWS region code"},
	"cluster by name and by ARN": {func(s *v1alpha1.FleetPolicySpec) {
		s.Clusters = []string{"prod", "arn:aws:ecs:us-east-1:123456789012:cluster/prod"}
	}, "spec.clusters names cluster prod more than once (a name and its ARN are the same cluster)"},
	"cluster ARN in another region": {func(s *v1alpha1.FleetPolicySpec) {
		s.Clusters = []string{"arn:aws:ecs:eu-west-1:123456789012:cluster/prod"}
	},
		"spec.clusters entry arn:aws:ecs:eu-west-1:123456789012:cluster/prod is a cluster in another region than spec.aws.region (us-east-1)"},
	"cluster ARN in a made-up partition": {func(s *v1alpha1.FleetPolicySpec) {
		s.Clusters = []string{"arn:aws-evil:ecs:us-east-1:123456789012:cluster/prod"}
	},
		"spec.clusters entry arn:aws-evil:ecs:us-east-1:123456789012:cluster/prod must be an ECS cluster name"},

	// Route destinations: only link-local /32s.
	"loopback destination":         {destinations("127.0.0.1/32"), "spec.route.destinations entry 127.0.0.1/32 is a loopback, unspecified (0.0.0.0), broadcast, multicast or network address"},
	"unspecified destination":      {destinations("169.254.170.2/32", "0.0.0.0/32"), "spec.route.destinations entry 0.0.0.0/32 is a loopback"},
	"broadcast destination":        {destinations("255.255.255.255/32"), "spec.route.destinations entry 255.255.255.255/32 is a loopback"},
	"multicast destination":        {destinations("224.0.0.251/32"), "spec.route.destinations entry 224.0.0.251/32 is a loopback"},
	"link-local network address":   {destinations("169.254.0.0/32"), "spec.route.destinations entry 169.254.0.0/32 is a loopback"},
	"private address destination":  {destinations("10.0.0.1/32"), "spec.route.destinations entry 10.0.0.1/32 is not a link-local host address in 169.254.0.0/16"},
	"public address destination":   {destinations("169.254.170.2/32", "8.8.8.8/32"), "spec.route.destinations entry 8.8.8.8/32 is not a link-local host address"},
	"default route as destination": {destinations("0.0.0.0/0"), "spec.route.destinations entry 0.0.0.0/0 must be an IPv4 host route"},

	// The adapter pattern.
	"blank adapter pattern":     {adapter("   "), "spec.route.adapterPattern must name the adapter"},
	"wildcard-only pattern":     {adapter("*"), "spec.route.adapterPattern must name the adapter"},
	"too many wildcards":        {adapter("a*b*c*d*e*"), "spec.route.adapterPattern has more than 4 wildcards"},
	"adapter pattern over 128":  {adapter(strings.Repeat("H", 129)), "spec.route.adapterPattern must be at most 128 characters"},
	"backtracking bomb pattern": {adapter("*?*?*?*?*?*?*?*?*?x"), "spec.route.adapterPattern has more than 4 wildcards"},

	// The bootstrap source: a DNS name, a real port, no metadata.
	"source on loopback IP":        {source("https://127.0.0.1/rb.exe"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on a hex IP":           {source("https://0x7f.0.0.1/rb.exe"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on an octal IP":        {source("https://0177.0.0.1/rb.exe"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on a decimal IP":       {source("https://2130706433/rb.exe"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on IMDS":               {source("https://169.254.169.254/latest/meta-data/iam/"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on IMDS's name":        {source("https://instance-data.ec2.internal/rb.exe"), "must not name localhost or an instance metadata service"},
	"source on localhost":          {source("https://artifacts.localhost/rb.exe"), "must not name localhost or an instance metadata service"},
	"source on a one-label host":   {source("https://artifacts/rb.exe"), "spec.remediation.bootstrap.source must name its https host by a DNS name"},
	"source on port 0":             {source("https://artifacts.example.com:0/rb.exe"), "spec.remediation.bootstrap.source port must be between 1 and 65535"},
	"source on port 65536":         {source("https://artifacts.example.com:65536/rb.exe"), "spec.remediation.bootstrap.source port must be between 1 and 65535"},
	"source bucket named by an IP": {source("s3://169.254.169.254/rb.exe"), "spec.remediation.bootstrap.source bucket must be an S3 bucket name, not an IP address"},
	"source over 2048":             {source("https://artifacts.example.com/" + strings.Repeat("a", 2100)), "spec.remediation.bootstrap.source must be at most 2048 characters"},

	// SSM documents ecswin does not own.
	"document of another prefix": {document("customer-runbook"), "spec.remediation.documentName must start with ecswin-"},
	"AWS's document":             {document("AWS-RunPowerShellScript"), "must not start with aws, amazon or amzn (in any case)"},
	"reserved prefix any case":   {document("aMaZoN-Patch"), "must not start with aws, amazon or amzn (in any case)"},
	"amzn prefix":                {document("AMZN-x"), "must not start with aws, amazon or amzn (in any case)"},
	"ecswin without the dash":    {document("ecswinRunbook"), "spec.remediation.documentName must start with ecswin-"},
}

func TestHostilePoliciesAreRejected(t *testing.T) {
	if len(hostile) < 30 {
		t.Fatalf("only %d hostile objects; the trust boundary wants at least 30", len(hostile))
	}
	requireRejected(t, "hostile", hostile)
}

// Durations written the way people write them get the accepted form in
// the message, not a conversion error. The Go types cannot hold such a
// value, so these go to the API server as YAML.
func TestMalformedDurationsSayTheAcceptedForm(t *testing.T) {
	cases := map[string]struct{ field, message string }{
		"words":                      {"intervals: {inventory: 10 minutes}", "spec.intervals.inventory must be a duration such as 90s, 10m or 1h30m"},
		"days":                       {"intervals: {reverify: 1d}", "spec.intervals.reverify must be a duration such as 30m, 6h or 1h30m"},
		"negative":                   {"remediation: {commandTimeout: -5m, bootstrap: {source: s3://bucket/rb.exe}}", "spec.remediation.commandTimeout must be a duration such as 90s, 10m or 1h30m"},
		"bare number":                {"intervals: {inventory: \"600\"}", "spec.intervals.inventory must be a duration"},
		"bad reverify and inventory": {"intervals: {inventory: 1 hour, reverify: 2 hours}", "spec.intervals.inventory must be a duration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			doc := "apiVersion: ecswin.io/v1alpha1\nkind: FleetPolicy\nmetadata: {name: durations}\nspec:\n  aws: {region: us-east-1}\n  clusters: [c]\n  " + tc.field + "\n"
			if !strings.Contains(tc.field, "remediation:") {
				doc += "  remediation: {bootstrap: {source: s3://bucket/rb.exe}}\n"
			}
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
				t.Fatal(err)
			}
			err := testenv.Global.Client.Create(context.Background(), u, client.DryRunAll)
			if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("err = %v, want Invalid saying %q", err, tc.message)
			}
			if strings.Contains(err.Error(), "compilation") || strings.Contains(err.Error(), "evaluation") {
				t.Errorf("the message leaks a CEL error: %v", err)
			}
		})
	}
}
