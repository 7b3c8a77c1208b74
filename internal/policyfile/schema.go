package policyfile

import (
	_ "embed"
	"fmt"
	"sync"
	"weak"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// crdYAML is config/crd/bases' FleetPolicy CRD (go generate copies it;
// a test fails when the copy is stale).
//
//go:embed crd.yaml
var crdYAML []byte

// crdSchema is the compiled schema of the served version.
type crdSchema struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

var (
	schemaMu   sync.Mutex
	schemaWeak weak.Pointer[crdSchema]
)

// loadSchema compiles the embedded CRD, or returns the compiled one while
// anything still holds it: a process that reads one policy file (ecswinctl
// run) does not keep the validators and CEL programs (some 3 MiB) for the
// rest of its life.
func loadSchema() (*crdSchema, error) {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s := schemaWeak.Value(); s != nil {
		return s, nil
	}
	structural, err := loadStructural()
	if err != nil {
		return nil, err
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(structural.internal)
	if err != nil {
		return nil, fmt.Errorf("building the schema validator: %w", err)
	}
	s := &crdSchema{
		structural: structural.Structural,
		validator:  validator,
		cel:        cel.NewValidator(structural.Structural, true, celconfig.PerCallLimit),
	}
	schemaWeak = weak.Make(s)
	return s, nil
}

// structuralSchema is the CRD's schema as defaulting reads it, compiled
// once: it is small, and every spec built in code needs it (ApplyDefaults).
type structuralSchema struct {
	*structuralschema.Structural
	internal *apiextensionsinternal.JSONSchemaProps
}

var loadStructural = sync.OnceValues(func() (structuralSchema, error) { return compileStructural(crdYAML) })

func compileStructural(raw []byte) (structuralSchema, error) {
	internal, err := internalSchema(raw)
	if err != nil {
		return structuralSchema{}, err
	}
	structural, err := structuralschema.NewStructural(internal)
	if err != nil {
		return structuralSchema{}, fmt.Errorf("building the structural schema: %w", err)
	}
	return structuralSchema{Structural: structural, internal: internal}, nil
}

func internalSchema(raw []byte) (*apiextensionsinternal.JSONSchemaProps, error) {
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(raw, &crd); err != nil {
		return nil, fmt.Errorf("reading the embedded CRD: %w", err)
	}
	var v1schema *apiextensionsv1.JSONSchemaProps
	for _, v := range crd.Spec.Versions {
		if v.Name == v1alpha1.GroupVersion.Version && v.Schema != nil {
			v1schema = v.Schema.OpenAPIV3Schema
		}
	}
	if v1schema == nil {
		return nil, fmt.Errorf("the embedded CRD has no schema for %s", v1alpha1.GroupVersion)
	}
	internal := &apiextensionsinternal.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v1schema, internal, nil); err != nil {
		return nil, fmt.Errorf("converting the CRD schema: %w", err)
	}
	return internal, nil
}
