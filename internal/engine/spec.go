package engine

import (
	"errors"
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// ErrInvalidSpec wraps errors that only a spec change can fix; callers
// treat them as terminal (errors.Is).
var ErrInvalidSpec = errors.New("invalid policy spec")

// defaulted are the spec fields the CRD gives a default, each with how to
// tell it was set. The engine applies no defaults of its own: the API
// server applies the CRD's to every FleetPolicy, and policyfile to every
// policy file, so a spec without them came another way and is refused.
// TestEngineDefaultsAreTheCRDs keeps this list and the CRD's in step.
var defaulted = []struct {
	field string
	set   func(v1alpha1.FleetPolicySpec) bool
}{
	{"spec.aws.retryMode", func(s v1alpha1.FleetPolicySpec) bool { return s.AWS.RetryMode != "" }},
	{"spec.route.destinations", func(s v1alpha1.FleetPolicySpec) bool { return len(s.Route.Destinations) > 0 }},
	{"spec.route.adapterPattern", func(s v1alpha1.FleetPolicySpec) bool { return s.Route.AdapterPattern != "" }},
	{"spec.remediation.mode", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.Mode != "" }},
	{"spec.remediation.hostProxy", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.HostProxy != "" }},
	{"spec.remediation.documentName", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.DocumentName != "" }},
	{"spec.remediation.maxConcurrency", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.MaxConcurrency > 0 }},
	{"spec.remediation.maxErrors", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.MaxErrors != nil }},
	{"spec.remediation.maxInFlight", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.MaxInFlight > 0 }},
	{"spec.remediation.commandTimeout", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.CommandTimeout.Duration > 0 }},
	{"spec.remediation.proxyRepairBreaker.maxFailedPercent", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.ProxyRepairBreaker.MaxFailedPercent != nil }},
	{"spec.remediation.proxyRepairBreaker.minFailed", func(s v1alpha1.FleetPolicySpec) bool { return s.Remediation.ProxyRepairBreaker.MinFailed > 0 }},
	{"spec.intervals.inventory", func(s v1alpha1.FleetPolicySpec) bool { return s.Intervals.Inventory.Duration > 0 }},
	{"spec.intervals.reverify", func(s v1alpha1.FleetPolicySpec) bool { return s.Intervals.Reverify.Duration > 0 }},
	{"spec.port80.mode", func(s v1alpha1.FleetPolicySpec) bool { return s.Port80.Mode != "" }},
}

// validate refuses what the engine cannot act on: what the CRD requires
// and what it defaults, for specs that did not come through an API server
// or policyfile (the CRD's other rules are the API server's to enforce).
func validate(s v1alpha1.FleetPolicySpec) error {
	switch {
	case s.AWS.Region == "":
		return fmt.Errorf("%w: spec.aws.region is empty", ErrInvalidSpec)
	case len(s.Clusters) == 0:
		return fmt.Errorf("%w: spec.clusters is empty", ErrInvalidSpec)
	}
	for _, d := range defaulted {
		if !d.set(s) {
			return fmt.Errorf("%w: %s is not set: the CRD defaults it, so hand the engine a policy read through the API server or policyfile (ecswinctl's --policy)", ErrInvalidSpec, d.field)
		}
	}
	return nil
}
