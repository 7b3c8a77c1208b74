#!/usr/bin/env bash
# Builds kube-apiserver and etcd for the envtest suites from the Go module
# proxy (module hack/envtest) into a cache outside the repository, keyed by
# version, and prints the directory to use as KUBEBUILDER_ASSETS.
#
# A warm machine rebuilds nothing: the binaries are only built when the
# cache directory lacks them. A cold build takes about 10 minutes on two
# cores, so progress goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' "$here/envtest/go.mod")
etcd_version=$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2; exit }' "$here/envtest/go.mod")
# The module's go.sum is part of the key, so a dependency bump rebuilds.
sum=$(sha256sum "$here/envtest/go.sum" | cut -c1-12)
cache="${ECSWIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecswin}"
dir="$cache/envtest/k8s-${k8s_version}-etcd-${etcd_version}-${sum}"

if [[ -x "$dir/kube-apiserver" && -x "$dir/etcd" ]]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

minor=$(echo "$k8s_version" | cut -d. -f2)
vpkg=k8s.io/component-base/version
ldflags="-s -w -X $vpkg.gitVersion=$k8s_version -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor"
ldflags+=" -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"

cd "$here/envtest"
for bin in etcd kube-apiserver; do
  if [[ ! -x "$dir/$bin" ]]; then
    echo "envtest: building $bin ($k8s_version) into $dir; the first build takes minutes" >&2
    start=$SECONDS
    CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/$bin" "./$bin"
    mv "$tmp/$bin" "$dir/$bin"
    echo "envtest: built $bin in $((SECONDS - start))s" >&2
  fi
done
echo "$dir"
