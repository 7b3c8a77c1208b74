// Package charts holds the tests of the Helm chart in charts/ecswin: lint,
// render, a server-side dry run against the real API server, and its
// agreement with the kustomize install in config/default.
package charts
