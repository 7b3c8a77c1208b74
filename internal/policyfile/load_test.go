package policyfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

const good = `
apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata:
  name: prod
spec:
  aws:
    region: us-east-1
  clusters: [windows-prod]
  remediation:
    bootstrap:
      source: s3://bucket/route-bootstrap.exe
`

func TestParseAppliesTheCRDDefaults(t *testing.T) {
	p, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	s := p.Spec
	if p.Name != "prod" || s.Remediation.Mode != v1alpha1.ModeDryRun || s.Remediation.HostProxy != v1alpha1.HostProxyReport ||
		s.Remediation.MaxConcurrency != 10 || s.Remediation.MaxErrors == nil || *s.Remediation.MaxErrors != 2 ||
		s.Intervals.Inventory.Duration != time.Minute || s.Intervals.Reverify.Duration != 6*time.Hour ||
		len(s.Route.Destinations) != 1 || s.Route.Destinations[0] != "169.254.170.2/32" || s.Route.AdapterPattern != "Hyper-V Virtual Ethernet*" || s.Port80.Mode != v1alpha1.Port80Report ||
		s.AWS.RetryMode != v1alpha1.RetryStandard {
		t.Errorf("defaults not applied: %+v", s)
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct {
		edit string // replaces the first match of from
		from string
		want string
	}{
		"unknown field":       {from: "  clusters:", edit: "  clusterz: [x]\n  clusters:", want: "spec.clusterz: unknown field"},
		"repeated key":        {from: "  clusters:", edit: "  clusters: [a]\n  clusters:", want: "repeated key"},
		"bad region":          {from: "us-east-1", edit: "US East", want: "spec.aws.region US East is not an AWS region code"},
		"duplicate cluster":   {from: "[windows-prod]", edit: "[a, a]", want: "spec.clusters names cluster a more than once"},
		"sha256 is gone":      {from: "      source:", edit: "      sha256: 5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef\n      source:", want: "spec.remediation.bootstrap.sha256: unknown field"},
		"namespaced":          {from: "  name: prod", edit: "  name: prod\n  namespace: team-a", want: "FleetPolicy is cluster-scoped"},
		"bad mode":            {from: "    bootstrap:", edit: "    mode: Fix\n    bootstrap:", want: `spec.remediation.mode: Unsupported value: "Fix"`},
		"missing region":      {from: "    region: us-east-1\n", edit: "    retryMode: Standard\n", want: "spec.aws.region: Required value"},
		"wrong kind":          {from: "kind: FleetPolicy", edit: "kind: Policy", want: "set kind: FleetPolicy"},
		"concurrency too big": {from: "    bootstrap:", edit: "    maxConcurrency: 500\n    bootstrap:", want: "spec.remediation.maxConcurrency in body should be less than or equal to 50"},
		"not yaml":            {from: "kind: FleetPolicy", edit: "kind: [", want: "not valid YAML"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			doc := strings.Replace(good, tc.from, tc.edit, 1)
			if doc == good {
				t.Fatalf("edit %q found nothing to replace", tc.from)
			}
			_, err := Parse([]byte(doc))
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("err = %v, want a *policyfile.Error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(good, "us-east-1", "nowhere", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Fatalf("err = %v, want it to start with the file name", err)
	}
}

func TestSamplesLoad(t *testing.T) {
	files, _ := filepath.Glob("../../config/samples/ecswin_*.yaml")
	if len(files) == 0 {
		t.Fatal("no samples found")
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("sample %s: %v", f, err)
		}
	}
}

// The embedded CRD must be the generated one (go generate copies it).
func TestEmbeddedCRDIsCurrent(t *testing.T) {
	current, err := os.ReadFile("../../config/crd/bases/ecswin.io_fleetpolicies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(current, crdYAML) {
		t.Fatal("internal/policyfile/crd.yaml is stale: run go generate ./internal/policyfile")
	}
}
