package v1alpha1_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/testenv"
)

// kubectl explain is enough to write a policy: every spec field has a
// description, and it says the field's default and its numeric range
// where the schema has them.
func TestEveryFieldSaysItsDefaultAndRange(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "crd", "bases", "ecswin.io_fleetpolicies.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	spec := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"]
	checked := 0
	var walk func(path string, s apiextensionsv1.JSONSchemaProps)
	walk = func(path string, s apiextensionsv1.JSONSchemaProps) {
		for name, p := range s.Properties {
			field := path + "." + name
			checked++
			d := p.Description
			if strings.TrimSpace(d) == "" {
				t.Errorf("%s has no description (kubectl explain says <no description>)", field)
			}
			if p.Default != nil && !strings.Contains(d, "Default") {
				t.Errorf("%s defaults to %s but its description does not say so: %q", field, p.Default.Raw, d)
			}
			for _, bound := range []*float64{p.Minimum, p.Maximum} {
				if bound != nil && !strings.Contains(d, fmt.Sprint(*bound)) {
					t.Errorf("%s's description does not give its range (%v): %q", field, *bound, d)
				}
			}
			if p.MaxItems != nil && !strings.Contains(d, fmt.Sprint(*p.MaxItems)) {
				t.Errorf("%s's description does not say it takes at most %d: %q", field, *p.MaxItems, d)
			}
			walk(field, p)
			if p.Items != nil && p.Items.Schema != nil {
				walk(field+"[]", *p.Items.Schema)
			}
		}
	}
	walk("spec", spec)
	if checked < 20 {
		t.Fatalf("checked only %d fields", checked)
	}
}
