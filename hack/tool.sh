#!/usr/bin/env bash
# Usage: hack/tool.sh NAME
# Builds one pinned development tool from the Go module proxy into a cache
# outside the repository, keyed by version, and prints the binary's path.
# A warm machine rebuilds nothing. Versions are pinned here and only here.
set -euo pipefail

declare -A module=(
  [controller-gen]=sigs.k8s.io/controller-tools/cmd/controller-gen@v0.23.0
  [golangci-lint]=github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
  [benchstat]=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
  [helm]=helm.sh/helm/v4/cmd/helm@v4.3.2
)

name=${1:?usage: hack/tool.sh NAME}
spec=${module[$name]:-}
if [[ -z "$spec" ]]; then
  echo "hack/tool.sh: unknown tool '$name'; known: ${!module[*]}" >&2
  exit 2
fi
version=${spec##*@}
cache="${ECSWIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecswin}"
dir="$cache/tools/$name-$version"
if [[ ! -x "$dir/$name" ]]; then
  echo "tools: building $name $version into $dir" >&2
  mkdir -p "$dir"
  GOBIN="$dir" GOFLAGS=-mod=mod go install "$spec"
fi
echo "$dir/$name"
