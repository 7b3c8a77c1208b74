package v1alpha1_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

// validPolicy is the smallest policy the API server accepts.
func validPolicy(name string) *v1alpha1.FleetPolicy {
	return &v1alpha1.FleetPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.FleetPolicySpec{
			AWS:      v1alpha1.AWSSpec{Region: "us-east-1"},
			Clusters: []string{"windows-prod"},
			Remediation: v1alpha1.RemediationSpec{
				Bootstrap: v1alpha1.BootstrapSource{Source: "s3://bucket/route-bootstrap.exe"},
			},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// rejectCase is one policy the API server must refuse, with the text its
// error must hold (the field, the offending entry where a list entry is
// at fault, and the fix).
type rejectCase struct {
	mutate  func(*v1alpha1.FleetPolicySpec)
	message string
}

// requireRejected creates each case's policy and checks the API server's
// answer: Invalid, with the case's message.
func requireRejected(t *testing.T, prefix string, cases map[string]rejectCase) {
	t.Helper()
	ctx := context.Background()
	i := 0
	for name, tc := range cases {
		i++
		t.Run(name, func(t *testing.T) {
			p := validPolicy(fmt.Sprintf("%s-%d", prefix, i))
			tc.mutate(&p.Spec)
			err := testenv.Global.Client.Create(ctx, p, client.DryRunAll)
			if err == nil {
				t.Fatalf("the API server accepted it; want an error containing %q", tc.message)
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("want an Invalid error, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error does not say %q:\n%v", tc.message, err)
			}
		})
	}
}

func TestInvalidPoliciesAreRejected(t *testing.T) {
	requireRejected(t, "invalid", map[string]rejectCase{
		"no cluster":             {func(s *v1alpha1.FleetPolicySpec) { s.Clusters = []string{} }, "spec.clusters must name at least one ECS cluster"},
		"duplicate cluster":      {func(s *v1alpha1.FleetPolicySpec) { s.Clusters = []string{"a", "b", "a"} }, "spec.clusters names cluster a more than once"},
		"bad cluster name":       {func(s *v1alpha1.FleetPolicySpec) { s.Clusters = []string{"has space"} }, "spec.clusters entry has space must be an ECS cluster name"},
		"bad cluster ARN":        {func(s *v1alpha1.FleetPolicySpec) { s.Clusters = []string{"arn:aws:ecs:us-east-1:12:cluster/x"} }, "must be an ECS cluster name"},
		"bad region":             {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Region = "US East" }, "spec.aws.region US East is not an AWS region code"},
		"bad role ARN":           {func(s *v1alpha1.FleetPolicySpec) { s.AWS.RoleARN = "arn:aws:iam::1234:role/x" }, "spec.aws.roleARN must be an IAM role ARN"},
		"bad ECS endpoint":       {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Endpoints = &v1alpha1.EndpointsSpec{ECS: "ftp://x"} }, "spec.aws.endpoints.ecs must be an http:// or https:// URL"},
		"bad SSM endpoint":       {func(s *v1alpha1.FleetPolicySpec) { s.AWS.Endpoints = &v1alpha1.EndpointsSpec{SSM: "localhost:4566"} }, "spec.aws.endpoints.ssm must be an http:// or https:// URL"},
		"bad retry mode":         {func(s *v1alpha1.FleetPolicySpec) { s.AWS.RetryMode = "Legacy" }, `supported values: "Standard", "Adaptive"`},
		"destination not /32":    {func(s *v1alpha1.FleetPolicySpec) { s.Route.Destinations = []string{"169.254.170.0/24"} }, "spec.route.destinations entry 169.254.170.0/24 must be an IPv4 host route"},
		"destination IPv6":       {func(s *v1alpha1.FleetPolicySpec) { s.Route.Destinations = []string{"fd00:ec2::254/128"} }, "spec.route.destinations entry fd00:ec2::254/128 must be an IPv4 host route"},
		"destination not a CIDR": {func(s *v1alpha1.FleetPolicySpec) { s.Route.Destinations = []string{"169.254.170.2"} }, "must be an IPv4 host route"},
		"duplicate destination": {func(s *v1alpha1.FleetPolicySpec) {
			s.Route.Destinations = []string{"169.254.170.2/32", "169.254.170.2/32"}
		}, "spec.route.destinations lists 169.254.170.2/32 twice"},
		"pattern with quote":     {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = `Hyper-V"*` }, "spec.route.adapterPattern may hold only"},
		"pattern with semicolon": {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "Hyper-V*; rm" }, "spec.route.adapterPattern may hold only"},
		"pattern with ampersand": {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "a & b" }, "spec.route.adapterPattern may hold only"},
		"pattern with pipe":      {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "a | b" }, "spec.route.adapterPattern may hold only"},
		"pattern with dollar":    {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "$env:x" }, "spec.route.adapterPattern may hold only"},
		"pattern with backtick":  {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "a`b" }, "spec.route.adapterPattern may hold only"},
		"pattern with percent":   {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "%PATH%" }, "spec.route.adapterPattern may hold only"},
		"pattern with newline":   {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "a\nb" }, "spec.route.adapterPattern may hold only"},
		"pattern with bracket":   {func(s *v1alpha1.FleetPolicySpec) { s.Route.AdapterPattern = "[Hh]yper-V*" }, "spec.route.adapterPattern may hold only"},
		"bad mode":               {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Mode = "Yes" }, `supported values: "DryRun", "Enforce"`},
		"bad host proxy mode":    {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.HostProxy = "Fix" }, `supported values: "Report", "Enforce"`},
		"AWS document name":      {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.DocumentName = "AWS-RunPowerShellScript" }, "spec.remediation.documentName must not start with aws, amazon or amzn"},
		"short document name":    {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.DocumentName = "ab" }, "spec.remediation.documentName must be 3-128"},
		"http source":            {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = "http://x/rb.exe" }, "spec.remediation.bootstrap.source must be https://host[:port]/path[?query] or s3://bucket/key"},
		"source with user info":  {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = "https://u@x/rb.exe" }, "spec.remediation.bootstrap.source must be"},
		"source s3 bucket only":  {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = "s3://bucket" }, "spec.remediation.bootstrap.source must be"},
		"source with shell char": {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = "https://x/rb.exe;calc" }, "spec.remediation.bootstrap.source must be https://host[:port]/path[?query] or s3://bucket/key"},
		"concurrency too high":   {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.MaxConcurrency = 51 }, "spec.remediation.maxConcurrency: Invalid value"},
		"concurrency negative":   {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.MaxConcurrency = -1 }, "spec.remediation.maxConcurrency: Invalid value"},
		"errors too high":        {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.MaxErrors = ptr[int32](51) }, "spec.remediation.maxErrors: Invalid value"},
		"in-flight too high":     {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.MaxInFlight = 5001 }, "spec.remediation.maxInFlight: Invalid value"},
		"timeout too short": {func(s *v1alpha1.FleetPolicySpec) {
			s.Remediation.CommandTimeout = metav1.Duration{Duration: 10 * time.Second}
		}, "spec.remediation.commandTimeout must be between 30s and 2h"},
		"inventory too fast": {func(s *v1alpha1.FleetPolicySpec) { s.Intervals.Inventory = metav1.Duration{Duration: time.Second} }, "spec.intervals.inventory must be between 10s and 1h"},
		"reverify too fast":  {func(s *v1alpha1.FleetPolicySpec) { s.Intervals.Reverify = metav1.Duration{Duration: time.Minute} }, "spec.intervals.reverify must be between 5m and 168h"},
		"reverify below inventory": {func(s *v1alpha1.FleetPolicySpec) {
			s.Intervals.Inventory = metav1.Duration{Duration: 30 * time.Minute}
			s.Intervals.Reverify = metav1.Duration{Duration: 10 * time.Minute}
		}, "spec.intervals.reverify must not be shorter than spec.intervals.inventory"},
		"bad port80 mode":     {func(s *v1alpha1.FleetPolicySpec) { s.Port80.Mode = "Block" }, `supported values: "Report", "Ignore"`},
		"bad exempt family":   {func(s *v1alpha1.FleetPolicySpec) { s.Port80.ExemptFamilies = []string{"web:3"} }, "spec.port80.exemptFamilies entry web:3 must be a task-definition family name"},
		"no bootstrap source": {func(s *v1alpha1.FleetPolicySpec) { s.Remediation.Bootstrap.Source = "" }, "spec.remediation.bootstrap.source must be"},
	})
}

func TestDefaultsAreApplied(t *testing.T) {
	ctx := context.Background()
	p := validPolicy("defaults")
	_ = testenv.Global.Client.Delete(ctx, p) // left by an interrupted run
	if err := testenv.Global.Client.Create(ctx, p); err != nil {
		t.Fatalf("creating the smallest valid policy: %v", err)
	}
	t.Cleanup(func() { _ = testenv.Global.Client.Delete(ctx, p) })
	got := &v1alpha1.FleetPolicy{}
	if err := testenv.Global.Client.Get(ctx, client.ObjectKeyFromObject(p), got); err != nil {
		t.Fatal(err)
	}
	s := got.Spec
	checks := map[string]struct{ got, want any }{
		// The credential endpoint only: IMDS is opt-in (AWS advises
		// keeping tasks away from the instance role's credentials).
		"route.destinations":         {strings.Join(s.Route.Destinations, ","), "169.254.170.2/32"},
		"route.adapterPattern":       {s.Route.AdapterPattern, "Hyper-V Virtual Ethernet*"},
		"aws.retryMode":              {s.AWS.RetryMode, v1alpha1.RetryStandard},
		"remediation.mode":           {s.Remediation.Mode, v1alpha1.ModeDryRun},
		"remediation.hostProxy":      {s.Remediation.HostProxy, v1alpha1.HostProxyReport},
		"remediation.documentName":   {s.Remediation.DocumentName, "ecswin-route-bootstrap"},
		"remediation.maxConcurrency": {s.Remediation.MaxConcurrency, int32(10)},
		"remediation.maxErrors":      {s.Remediation.MaxErrors != nil && *s.Remediation.MaxErrors == 2, true},
		"remediation.maxInFlight":    {s.Remediation.MaxInFlight, int32(200)},
		"remediation.commandTimeout": {s.Remediation.CommandTimeout.Duration, 10 * time.Minute},
		"intervals.inventory":        {s.Intervals.Inventory.Duration, time.Minute},
		"intervals.reverify":         {s.Intervals.Reverify.Duration, 6 * time.Hour},
		"port80.mode":                {s.Port80.Mode, v1alpha1.Port80Report},
	}
	for field, c := range checks {
		if c.got != c.want {
			t.Errorf("spec.%s defaulted to %v, want %v", field, c.got, c.want)
		}
	}
}

// FleetPolicy is cluster-scoped: writing one is granted like cluster-admin,
// never by a namespace's roles.
func TestFleetPolicyIsClusterScoped(t *testing.T) {
	m, err := testenv.Global.Client.RESTMapper().RESTMapping(v1alpha1.GroupVersion.WithKind("FleetPolicy").GroupKind(), v1alpha1.GroupVersion.Version)
	if err != nil {
		t.Fatal(err)
	}
	if m.Scope.Name() != meta.RESTScopeNameRoot {
		t.Fatalf("FleetPolicy scope is %s, want cluster", m.Scope.Name())
	}
}

func TestSamplesAreAccepted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples found in config/samples (err %v)", err)
	}
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p := &v1alpha1.FleetPolicy{}
			if err := yaml.UnmarshalStrict(data, p); err != nil {
				t.Fatalf("sample does not decode strictly as a FleetPolicy: %v", err)
			}
			if p.Namespace != "" {
				t.Fatalf("sample sets metadata.namespace %q on a cluster-scoped kind", p.Namespace)
			}
			if err := testenv.Global.Client.Create(context.Background(), p, client.DryRunAll); err != nil {
				t.Fatalf("the API server rejected the sample: %v", err)
			}
		})
	}
}
