#!/usr/bin/env bash
# Prints a directory holding the Prometheus Operator's CRDs
# (ServiceMonitor, PrometheusRule, ...) as its Go module publishes them, so
# the chart tests can install them in the envtest API server and dry-run
# the chart's monitoring objects against their real schemas. The module is
# fetched once by the Go toolchain into its module cache, keyed by the
# version pinned here; nothing is downloaded when it is there.
set -euo pipefail

module=github.com/prometheus-operator/prometheus-operator@v0.85.0

# Outside any module, so the repository's go.mod and go.sum stay as they are.
dir=$(cd / && GOFLAGS= go mod download -json "$module" | awk -F'"' '$2 == "Dir" { print $4 }')
crds="$dir/example/prometheus-operator-crd"
if [[ ! -f "$crds/monitoring.coreos.com_servicemonitors.yaml" ]]; then
  echo "hack/monitoring-crds.sh: $module has no CRDs in example/prometheus-operator-crd" >&2
  exit 1
fi
echo "$crds"
