#!/usr/bin/env bash
# Usage: hack/pwsh-parse/install.sh
# Installs the PowerShell grammar (tree-sitter-powershell, loaded as
# WebAssembly by web-tree-sitter; versions pinned in package-lock.json) from
# the npm registry into a cache outside the repository, keyed by the lock
# file's hash, and prints the directory holding node_modules. A warm machine
# installs nothing. internal/bootstrap/pwshparse finds the same directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
key=$(cat "$here/package-lock.json" "$here/.npmrc" | sha256sum | cut -c1-12)
cache="${ECSWIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecswin}"
dir="$cache/node/pwsh-parse-$key"
if [[ ! -f "$dir/node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm" || ! -d "$dir/node_modules/web-tree-sitter" ]]; then
  echo "pwsh-parse: installing the PowerShell grammar into $dir" >&2
  tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$tmp/"
  (cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
echo "$dir"
