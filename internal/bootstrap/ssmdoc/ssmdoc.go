// Package ssmdoc holds the SSM document (schema 2.2, aws:runPowerShellScript)
// that delivers route-bootstrap to hosts, and the Go mirror of what its
// script does: HostArgs (parameters to route-bootstrap arguments) and
// CommandExitCode (route-bootstrap's exit code to the invocation's).
//
// Exit codes: SSM marks any non-zero exit Failed and MaxErrors counts
// failures, so the script exits 0 for every run that did what it was
// allowed to: healthy (0), repaired (3), needs-an-operator (5) and drift
// reported (9: drift it was not allowed to change, under --check or for a
// proxy without repairProxy), whose reports tell them apart. It passes
// every other code through: still broken after an allowed repair (4),
// error (6), usage (7), busy (8), a Go runtime crash (2). Its own failures
// are ExitDownloadFailed, ExitHashMismatch, ExitCacheFailed,
// ExitStartBlocked and ExitScriptFailed, which print no report. A
// report-only finding therefore never fails an invocation, nor makes SSM
// cancel the rest of a command.
package ssmdoc

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

//go:embed route-bootstrap.json
var content []byte

// binaryHashPlaceholder stands in the embedded script for the SHA-256 of
// route-bootstrap.exe; Content writes the pinned hash in its place, so the
// hash is part of the document's content (and of its own hash) rather
// than a parameter any caller of SendCommand could set.
const binaryHashPlaceholder = "@ROUTE_BOOTSTRAP_SHA256@"

var binarySHA256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Content returns the document that runs only the route-bootstrap.exe
// whose lower-case hex SHA-256 is binarySHA256.
func Content(binarySHA256 string) ([]byte, error) {
	if !binarySHA256Pattern.MatchString(binarySHA256) {
		return nil, fmt.Errorf("route-bootstrap.exe SHA-256 %q is not 64 lower-case hex digits", binarySHA256)
	}
	if bytes.Count(content, []byte(binaryHashPlaceholder)) != 1 {
		return nil, fmt.Errorf("the embedded SSM document does not hold %s exactly once", binaryHashPlaceholder)
	}
	return bytes.Replace(content, []byte(binaryHashPlaceholder), []byte(binarySHA256), 1), nil
}

// Hash is the lower-case hex SHA-256 of a document's content: what SSM
// reports as the document's hash (DocumentHashType Sha256) and what
// SendCommand's DocumentHash must match.
func Hash(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])
}

// Parameter names.
const (
	ParamSource           = "source"
	ParamCheck            = "check"
	ParamRepairProxy      = "repairProxy"
	ParamAdapterPattern   = "adapterPattern"
	ParamDestinations     = "destinations"
	ParamExecutionTimeout = "executionTimeout"
)

// Exit codes of the script itself, beside route-bootstrap's own.
const (
	ExitDownloadFailed = 20
	ExitHashMismatch   = 21
	ExitCacheFailed    = 22
	// ExitStartBlocked: route-bootstrap.exe was verified but could not be
	// started, as when AppLocker or WDAC refuses it.
	ExitStartBlocked = 23
	// ExitScriptFailed: the script failed where nothing expected it to.
	ExitScriptFailed = 24
)

// CommandExitCode is the invocation's exit code for a route-bootstrap exit
// code, as the script maps it.
func CommandExitCode(bootstrapExit int) int {
	switch bootstrapExit {
	case report.ExitHealthy, report.ExitRepaired, report.ExitNeedsOperator, report.ExitDriftReported:
		return 0
	}
	return bootstrapExit
}

// RunTimeout is the --timeout the script gives route-bootstrap when the
// download took no time: the document's executionTimeout less a margin
// for the report (a quarter of it, 30 seconds at most), 5 seconds at
// least. The script also subtracts the time the download took.
func RunTimeout(executionTimeoutSeconds int) time.Duration {
	margin := min(30, executionTimeoutSeconds/4)
	return time.Duration(max(5, executionTimeoutSeconds-margin)) * time.Second
}
