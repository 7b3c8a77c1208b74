package engine

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// Spec defaults, the same as the CRD's kubebuilder defaults, applied here
// too because ecswinctl reads policies from files that no API server has
// defaulted.
const (
	DefaultDocumentName   = "ecswin-route-bootstrap"
	DefaultMaxConcurrency = 10
	DefaultMaxErrors      = 2
	DefaultMaxInFlight    = 200
	DefaultCommandTimeout = 10 * time.Minute
	DefaultAdapterPattern = "Hyper-V Virtual Ethernet*"
)

// DefaultDestinations are the routes every NAT-mode container needs: the
// credential endpoint only (IMDS is opt-in, as the CRD's default).
var DefaultDestinations = []string{"169.254.170.2/32"}

// WithDefaults returns spec with every unset defaulted field filled in.
func WithDefaults(spec v1alpha1.FleetPolicySpec) v1alpha1.FleetPolicySpec {
	s := *spec.DeepCopy()
	if s.AWS.RetryMode == "" {
		s.AWS.RetryMode = v1alpha1.RetryStandard
	}
	if len(s.Route.Destinations) == 0 {
		s.Route.Destinations = append([]string(nil), DefaultDestinations...)
	}
	if s.Route.AdapterPattern == "" {
		s.Route.AdapterPattern = DefaultAdapterPattern
	}
	r := &s.Remediation
	if r.Mode == "" {
		r.Mode = v1alpha1.ModeDryRun
	}
	if r.HostProxy == "" {
		r.HostProxy = v1alpha1.HostProxyReport
	}
	if r.DocumentName == "" {
		r.DocumentName = DefaultDocumentName
	}
	if r.MaxConcurrency == 0 {
		r.MaxConcurrency = DefaultMaxConcurrency
	}
	if r.MaxErrors == nil {
		n := int32(DefaultMaxErrors)
		r.MaxErrors = &n
	}
	if r.MaxInFlight == 0 {
		r.MaxInFlight = DefaultMaxInFlight
	}
	if r.CommandTimeout.Duration == 0 {
		r.CommandTimeout = metav1.Duration{Duration: DefaultCommandTimeout}
	}
	if s.Intervals.Inventory.Duration == 0 {
		s.Intervals.Inventory = metav1.Duration{Duration: defaultInventoryInterval}
	}
	if s.Intervals.Reverify.Duration == 0 {
		s.Intervals.Reverify = metav1.Duration{Duration: defaultReverifyInterval}
	}
	if s.Port80.Mode == "" {
		s.Port80.Mode = v1alpha1.Port80Report
	}
	return s
}

// validate catches what the CRD's validation would, for specs that did
// not pass through an API server; only what the engine cannot work
// around.
func validate(s v1alpha1.FleetPolicySpec) error {
	switch {
	case s.AWS.Region == "":
		return fmt.Errorf("%w: spec.aws.region is empty", ErrInvalidSpec)
	case len(s.Clusters) == 0:
		return fmt.Errorf("%w: spec.clusters is empty", ErrInvalidSpec)
	case s.Remediation.MaxInFlight < 1:
		return fmt.Errorf("%w: spec.remediation.maxInFlight must be at least 1", ErrInvalidSpec)
	}
	return nil
}
