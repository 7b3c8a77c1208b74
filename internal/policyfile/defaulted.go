package policyfile

import (
	"encoding/json"
	"fmt"

	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// ApplyDefaults is spec with the CRD's defaults filled in, as the API
// server fills them before it stores a FleetPolicy: for specs built in
// code (the demo, tests), so that they too get the CRD's defaults and no
// others. It does not validate (Parse does, for files); the demo paces
// itself faster than the CRD allows an operator to.
func ApplyDefaults(spec v1alpha1.FleetPolicySpec) (v1alpha1.FleetPolicySpec, error) {
	s, err := loadStructural()
	if err != nil {
		return v1alpha1.FleetPolicySpec{}, err
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return v1alpha1.FleetPolicySpec{}, fmt.Errorf("encoding the spec: %w", err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return v1alpha1.FleetPolicySpec{}, fmt.Errorf("encoding the spec: %w", err)
	}
	wrapped := map[string]any{"spec": obj}
	structuraldefaulting.Default(wrapped, s.Structural)
	if raw, err = json.Marshal(wrapped["spec"]); err != nil {
		return v1alpha1.FleetPolicySpec{}, fmt.Errorf("encoding the defaulted spec: %w", err)
	}
	var out v1alpha1.FleetPolicySpec
	if err := json.Unmarshal(raw, &out); err != nil {
		return v1alpha1.FleetPolicySpec{}, fmt.Errorf("decoding the defaulted spec: %w", err)
	}
	return out, nil
}
