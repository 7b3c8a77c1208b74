package remediate

import (
	"fmt"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/policyfile"
)

// The CRD's rules for the values that reach the SSM document must accept
// what the document's allowedPatterns accept: a policy the API server
// takes but SSM refuses would fail every command at run time, and the
// reverse would refuse a policy that works. The only exceptions are the
// sources the CRD refuses on purpose though the document's character
// pattern lets them through (IP literals, ports out of range, metadata and
// localhost names): stricterOnPurpose lists them. policyfile runs the
// CRD's own schema and CEL rules, PlanFor the document's patterns.
func TestCRDAgreesWithDocumentParameters(t *testing.T) {
	sources := []string{
		"https://artifacts.example.com/ecswin/route-bootstrap.exe",
		"https://artifacts.example.com:8443/rb.exe?versionId=abc%2B1&x=y",
		"s3://my-bucket/route-bootstrap/v1/route-bootstrap.exe",
		"http://artifacts.example.com/rb.exe",
		"https://artifacts.example.com/rb(1).exe",
		"https://user@artifacts.example.com/rb.exe",
		"https://artifacts.example.com/rb.exe;calc",
		"s3://My_Bucket/rb.exe",
		"s3://bucket",
		"https://artifacts.example.com/a b.exe",
	}
	patterns := []string{
		"Hyper-V Virtual Ethernet*",
		"Hyper-V Virtual Ethernet Adapter #2",
		"vEthernet (nat)",
		"eth?",
		"a:b",
		"[Hh]yper-V*",
		"a,b",
		"a/b",
		"Hyper-V'*",
		"x$y",
	}
	stricterOnPurpose := []string{
		"https://127.0.0.1/rb.exe",
		"https://0x7f.0.0.1/rb.exe",
		"https://2130706433/rb.exe",
		"https://0177.0.0.1/rb.exe",
		"https://169.254.169.254/latest/meta-data/",
		"https://artifacts:443/rb.exe",
		"https://artifacts.example.com:0/rb.exe",
		"https://artifacts.example.com:99999/rb.exe",
		"https://instance-data.ec2.internal/rb.exe",
		"https://evil.localhost/rb.exe",
		"s3://169.254.169.254/rb.exe",
	}
	check := func(t *testing.T, source, pattern string) {
		doc := policyDoc(source, pattern)
		policy, crdErr := policyfile.Parse([]byte(doc))
		if crdErr != nil {
			_, docErr := PlanFor(policyWith(source, pattern))
			if docErr == nil {
				t.Fatalf("the CRD refuses what the SSM document accepts: %v", crdErr)
			}
			return
		}
		if _, docErr := PlanFor(policy.Spec); docErr != nil {
			t.Fatalf("the CRD accepts what the SSM document refuses: %v", docErr)
		}
	}
	for _, s := range sources {
		t.Run("source "+s, func(t *testing.T) { check(t, s, "Hyper-V Virtual Ethernet*") })
	}
	for _, s := range stricterOnPurpose {
		t.Run("stricter "+s, func(t *testing.T) {
			if _, err := PlanFor(policyWith(s, "Hyper-V Virtual Ethernet*")); err != nil {
				t.Fatalf("the document refuses %s itself (%v): move it to sources", s, err)
			}
			if _, err := policyfile.Parse([]byte(policyDoc(s, "Hyper-V Virtual Ethernet*"))); err == nil {
				t.Fatalf("the CRD accepts %s, which it must refuse", s)
			}
		})
	}
	for _, p := range patterns {
		t.Run("pattern "+p, func(t *testing.T) { check(t, sources[0], p) })
	}
}

// policyWith is a defaulted spec holding source and pattern though the
// CRD may refuse them (so policyfile gave no spec of its own).
func policyWith(source, pattern string) v1alpha1.FleetPolicySpec {
	p, err := policyfile.Parse([]byte(policyDoc("https://artifacts.example.com/rb.exe", "Hyper-V Virtual Ethernet*")))
	if err != nil {
		panic(err)
	}
	s := p.Spec
	s.Route.AdapterPattern, s.Remediation.Bootstrap.Source = pattern, source
	return s
}

// policyDoc is the smallest policy file with source and pattern.
func policyDoc(source, pattern string) string {
	return fmt.Sprintf(`apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata: {name: p}
spec:
  aws: {region: us-east-1}
  clusters: [c]
  route: {adapterPattern: %q}
  remediation:
    bootstrap: {source: %q}
`, pattern, source)
}
