#!/usr/bin/env bash
# Runs the Wine test of route-bootstrap's Windows read side and fails, rather
# than skips, when its toolchain is missing. Needs root (ip netns) and the
# Debian packages in apt-packages.txt. The test itself builds the
# ProcessPrng shim from this folder, route-bootstrap.exe and the winos
# Windows test binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
export ECSWIN_REQUIRE_WINE=1
exec go test -count=1 -run '^TestWineReadSide$' -v ./internal/bootstrap/winos
