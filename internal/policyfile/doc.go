// Package policyfile reads a FleetPolicy from a YAML or JSON file for
// ecswinctl, which runs without an API server: strict decoding (unknown
// or repeated fields are errors), then the CRD's own defaults and
// validation — its OpenAPI schema and CEL rules, evaluated by the same
// apiextensions code the kube-apiserver runs — so a file that ecswinctl
// accepts is one `kubectl apply` accepts, with the same messages.
package policyfile

//go:generate cp ../../config/crd/bases/ecswin.io_fleetpolicies.yaml crd.yaml
