package policyfile

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// A spec built in code gets exactly the defaults the same policy read
// from a file gets, and keeps what it sets.
func TestApplyDefaultsIsWhatAFileGets(t *testing.T) {
	fromFile, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	spec := v1alpha1.FleetPolicySpec{
		AWS:         v1alpha1.AWSSpec{Region: "us-east-1"},
		Clusters:    []string{"windows-prod"},
		Remediation: v1alpha1.RemediationSpec{Bootstrap: v1alpha1.BootstrapSource{Source: "s3://bucket/route-bootstrap.exe"}},
	}
	built, err := ApplyDefaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(built, fromFile.Spec) {
		t.Errorf("built in code:\n%+v\nread from a file:\n%+v", built, fromFile.Spec)
	}
	spec.Intervals.Inventory = metav1.Duration{Duration: 500 * time.Millisecond}
	spec.Remediation.Mode = v1alpha1.ModeEnforce
	kept, err := ApplyDefaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Intervals.Inventory.Duration != 500*time.Millisecond || kept.Remediation.Mode != v1alpha1.ModeEnforce || kept.Intervals.Reverify.Duration != 6*time.Hour {
		t.Errorf("set fields not kept or others not defaulted: %+v", kept)
	}
}
