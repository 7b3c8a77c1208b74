package policyfile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// Error lists everything wrong with a policy file, one line each, every
// line naming the field and, where the CRD says it, the fix.
type Error struct {
	Path     string
	Problems []string
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("%s: %s", e.Path, e.Problems[0])
	}
	return fmt.Sprintf("%s: %d problems:\n  - %s", e.Path, len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// Load reads the FleetPolicy in path.
func Load(path string) (*v1alpha1.FleetPolicy, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading policy: %w", err)
	}
	p, err := Parse(raw)
	var perr *Error
	if errors.As(err, &perr) {
		perr.Path = path
	}
	return p, err
}

// parseDocument decodes one FleetPolicy document, applies the CRD's
// defaults and checks it against the CRD's schema and CEL rules.
func parseDocument(raw []byte) (*v1alpha1.FleetPolicy, error) {
	fail := func(problems ...string) (*v1alpha1.FleetPolicy, error) {
		return nil, &Error{Path: "policy", Problems: problems}
	}
	js, err := yaml.YAMLToJSONStrict(raw)
	if err != nil {
		return fail(fmt.Sprintf("not valid YAML or JSON (%v); a repeated key is an error too", err))
	}
	var obj map[string]any
	if err := json.Unmarshal(js, &obj); err != nil || obj == nil {
		return fail("expected one FleetPolicy object (apiVersion, kind, metadata, spec)")
	}
	if problems := checkKind(obj); len(problems) > 0 {
		return fail(problems...)
	}
	s, err := loadSchema()
	if err != nil {
		return nil, err
	}
	if problems := unknownFields(obj, s.structural); len(problems) > 0 {
		return fail(problems...)
	}
	structuraldefaulting.Default(obj, s.structural)

	errs := apiservervalidation.ValidateCustomResource(nil, obj, s.validator)
	if len(errs) == 0 {
		celErrs, _ := s.cel.Validate(context.Background(), nil, s.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	if len(errs) > 0 {
		return fail(describe(errs)...)
	}

	defaulted, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encoding the defaulted policy: %w", err)
	}
	p := &v1alpha1.FleetPolicy{}
	if err := json.Unmarshal(defaulted, p); err != nil {
		return fail(fmt.Sprintf("does not fit the FleetPolicy type: %v", err))
	}
	if p.Name == "" {
		p.Name = "policy"
	}
	return p, nil
}

func checkKind(obj map[string]any) []string {
	var problems []string
	want := v1alpha1.GroupVersion.String()
	if got, _ := obj["apiVersion"].(string); got != want {
		problems = append(problems, fmt.Sprintf("apiVersion is %q: set apiVersion: %s", got, want))
	}
	if got, _ := obj["kind"].(string); got != "FleetPolicy" {
		problems = append(problems, fmt.Sprintf("kind is %q: set kind: FleetPolicy", got))
	}
	if meta, _ := obj["metadata"].(map[string]any); meta != nil {
		if ns, _ := meta["namespace"].(string); ns != "" {
			problems = append(problems, fmt.Sprintf("metadata.namespace is %q: FleetPolicy is cluster-scoped (write access to it is run-as-SYSTEM on the hosts); remove metadata.namespace", ns))
		}
	}
	return problems
}

// describe turns field errors into one line each: the field path, then
// what is wrong; CEL rule messages already name the field and the fix.
func describe(errs field.ErrorList) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		switch {
		case e.Type == field.ErrorTypeInvalid && strings.HasPrefix(e.Detail, e.Field):
			out = append(out, e.Detail)
		default:
			out = append(out, e.Error())
		}
	}
	return out
}
