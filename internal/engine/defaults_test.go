package engine

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/policyfile"
	"github.com/ecswin/ecswin/internal/remediate"
)

// The CRD's kubebuilder markers are the one source of defaults. These
// tests fail when another layer has a default of its own that differs:
// the engine (which must know every defaulted field and apply none), the
// SSM document's parameters, route-bootstrap's own defaults, and the plan
// ecswin sends (which must set every parameter, so that no default of the
// document decides an ecswin run).

// crdDefaults reads the leaf defaults of spec from the CRD as generated
// (config/crd/bases), by dotted field path.
func crdDefaults(t *testing.T) map[string]apiextensionsv1.JSON {
	t.Helper()
	raw, err := os.ReadFile("../../config/crd/bases/ecswin.io_fleetpolicies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	out := map[string]apiextensionsv1.JSON{}
	var walk func(path string, s apiextensionsv1.JSONSchemaProps)
	walk = func(path string, s apiextensionsv1.JSONSchemaProps) {
		if s.Default != nil && s.Type != "object" {
			out[path] = *s.Default
		}
		for name, p := range s.Properties {
			walk(path+"."+name, p)
		}
	}
	walk("spec", crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"])
	return out
}

// defaultedSpec is the smallest policy with the CRD's defaults.
func defaultedSpec(t *testing.T) v1alpha1.FleetPolicySpec {
	t.Helper()
	spec, err := policyfile.ApplyDefaults(v1alpha1.FleetPolicySpec{
		AWS:         v1alpha1.AWSSpec{Region: "us-east-1"},
		Clusters:    []string{"windows"},
		Remediation: v1alpha1.RemediationSpec{Bootstrap: v1alpha1.BootstrapSource{Source: "https://artifacts.example.com/route-bootstrap.exe"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// without is spec with the field at the dotted path removed, as in a
// policy that never passed the API server.
func without(t *testing.T, spec v1alpha1.FleetPolicySpec, path string) v1alpha1.FleetPolicySpec {
	t.Helper()
	raw, _ := json.Marshal(spec)
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(strings.TrimPrefix(path, "spec."), ".")
	parent := obj
	for _, p := range parts[:len(parts)-1] {
		parent, _ = parent[p].(map[string]any)
	}
	delete(parent, parts[len(parts)-1])
	raw, _ = json.Marshal(obj)
	var out v1alpha1.FleetPolicySpec
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The engine knows exactly the fields the CRD defaults, accepts a spec
// that has them, and refuses one without any of them, naming it.
func TestEngineDefaultsAreTheCRDs(t *testing.T) {
	crd := crdDefaults(t)
	var known []string
	for _, d := range defaulted {
		known = append(known, d.field)
		if _, ok := crd[d.field]; !ok {
			t.Errorf("the engine treats %s as defaulted, but the CRD gives it no default", d.field)
		}
	}
	for field := range crd {
		if !slices.Contains(known, field) {
			t.Errorf("the CRD defaults %s, which the engine does not know: add it to defaulted", field)
		}
	}
	spec := defaultedSpec(t)
	if err := validate(spec); err != nil {
		t.Fatalf("a defaulted spec is refused: %v", err)
	}
	for _, field := range known {
		err := validate(without(t, spec, field))
		if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), field) {
			t.Errorf("without %s: err = %v, want it refused by name", field, err)
		}
	}
}

// docParams are the SSM document's parameters with their defaults (nil
// for none).
func docParams(t *testing.T) map[string]*string {
	t.Helper()
	content, err := ssmdoc.Content(strings.Repeat("0", 64))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Parameters map[string]struct {
			Default *string `json:"default"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(content, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]*string{}
	for name, p := range doc.Parameters {
		out[name] = p.Default
	}
	return out
}

// docDefault is the default of one parameter of the SSM document.
func docDefault(t *testing.T, name string) string {
	t.Helper()
	d := docParams(t)[name]
	if d == nil {
		t.Fatalf("the document has no default for %s", name)
	}
	return *d
}

// knownDifferences are layer defaults that differ from the CRD's on
// purpose or until their owner changes them, each with why. The test
// fails when one of them agrees after all, so the entry goes too.
var knownDifferences = map[string]string{
	"document check": "a hand-run of the document without check=... repairs, where a policy without mode checks; " +
		"ecswin's own runs always pass check (PlanFor), so only hand-runs see it",
}

// Every other layer's default for a policy setting is the CRD's.
func TestLayerDefaultsAgreeWithTheCRD(t *testing.T) {
	spec := defaultedSpec(t)
	r := spec.Remediation
	layers := map[string]struct{ got, want string }{
		"document adapterPattern":     {docDefault(t, ssmdoc.ParamAdapterPattern), spec.Route.AdapterPattern},
		"document destinations":       {docDefault(t, ssmdoc.ParamDestinations), strings.Join(spec.Route.Destinations, ",")},
		"document executionTimeout":   {docDefault(t, ssmdoc.ParamExecutionTimeout), strconv.Itoa(int(r.CommandTimeout.Seconds()))},
		"document check":              {docDefault(t, ssmdoc.ParamCheck), strconv.FormatBool(r.Mode != v1alpha1.ModeEnforce)},
		"document repairProxy":        {docDefault(t, ssmdoc.ParamRepairProxy), strconv.FormatBool(proxyRepairOn(spec))},
		"route-bootstrap adapter":     {ensure.DefaultAdapterPattern, spec.Route.AdapterPattern},
		"route-bootstrap destination": {prefixes(ensure.DefaultDestinations), strings.Join(spec.Route.Destinations, ",")},
	}
	for name, l := range layers {
		why, known := knownDifferences[name]
		switch {
		case l.got != l.want && !known:
			t.Errorf("%s defaults to %q, the CRD to %q", name, l.got, l.want)
		case l.got == l.want && known:
			t.Errorf("%s now agrees with the CRD (%q): drop it from knownDifferences (%s)", name, l.got, why)
		}
	}
	plan, err := remediate.PlanFor(spec)
	if err != nil {
		t.Fatal(err)
	}
	for name := range docParams(t) {
		if len(plan.Parameters[name]) != 1 {
			t.Errorf("the plan leaves %s to the document's default", name)
		}
	}
}

func prefixes[T interface{ String() string }](ps []T) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return strings.Join(out, ",")
}
