// Package scenario describes a simulated fleet as data: clusters, groups
// of container instances by OS family, task definitions, drift, API
// faults and timed events. Scenarios are YAML files (or built-ins, see
// Builtin); the fleet package turns one into an in-memory fleet.
package scenario
