// Package buildinfo says which release a binary is: its version, its
// commit and the SHA-256 of the route-bootstrap.exe built with it. `make
// build` and `make release` set them with -ldflags -X (see the Makefile);
// a plain `go build` leaves the hash empty, and the manager then sends no
// runs until the operator pins one with --bootstrap-sha256.
package buildinfo

import (
	"fmt"
	"regexp"
	"runtime/debug"
)

// Set by the linker: -X github.com/ecswin/ecswin/internal/buildinfo.<name>=...
var (
	version              string
	commit               string
	routeBootstrapSHA256 string
)

// Version is the release version, or "devel" for a build without one.
func Version() string {
	if version != "" {
		return version
	}
	return "devel"
}

// Commit is the source commit: the linker's value, else what the Go
// toolchain recorded from the VCS, else "unknown".
func Commit() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}

// sha256Hex is the form of a SHA-256 that the SSM document pins.
var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// RouteBootstrapSHA256 is the lower-case hex SHA-256 of the
// route-bootstrap.exe of this release, or "" when the build embeds none
// (or a malformed one, which counts as none).
func RouteBootstrapSHA256() string {
	if !ValidSHA256(routeBootstrapSHA256) {
		return ""
	}
	return routeBootstrapSHA256
}

// ValidSHA256 reports whether s is a SHA-256 as the document pins it:
// 64 lower-case hex digits.
func ValidSHA256(s string) bool { return sha256Hex.MatchString(s) }

// String is the multi-line text of `--version`.
func String(program string) string {
	hash := RouteBootstrapSHA256()
	if hash == "" {
		hash = "none embedded (a plain go build): pin one with --bootstrap-sha256"
	}
	return fmt.Sprintf("%s %s\ncommit: %s\nroute-bootstrap.exe sha256: %s\n", program, Version(), Commit(), hash)
}
