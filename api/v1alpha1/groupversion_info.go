// Package v1alpha1 holds the ecswin.io/v1alpha1 API: the FleetPolicy kind
// that tells ecswin which ECS clusters to watch and how to repair them.
//
// It depends on apimachinery only, not on controller-runtime, so the domain
// packages and the standalone CLI can read policies without the manager.
//
// +kubebuilder:object:generate=true
// +groupName=ecswin.io
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every type in this package.
	GroupVersion = schema.GroupVersion{Group: "ecswin.io", Version: "v1alpha1"}

	schemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds this package's types to a runtime.Scheme.
	AddToScheme = schemeBuilder.AddToScheme
)

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &FleetPolicy{}, &FleetPolicyList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}

// Length limits: each string field's schema maxLength is a generous bound
// that keeps the CEL rules' estimated cost within the API server's budget;
// the field's real limit is a CEL rule (or its pattern), so a value that
// is too long gets the field's own message, not only a bare "Too long".
