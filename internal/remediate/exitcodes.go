package remediate

import (
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// exitClass is what an invocation's exit code alone says, for the codes
// that come with no report: the document's own failures, a busy host, a
// crash.
type exitClass struct {
	result  Result
	reason  string
	message string
}

// exitClasses maps those codes; every other code is judged by the report
// (or its absence).
var exitClasses = map[int32]exitClass{
	ssmdoc.ExitDownloadFailed: {ResultFailed, audit.ReasonBootstrapDownloadFailed,
		"the host could not download route-bootstrap from spec.remediation.bootstrap.source: check the URL, the instance's network path (and the SSM agent's proxy settings) and its S3 permissions"},
	ssmdoc.ExitHashMismatch: {ResultFailed, audit.ReasonBootstrapHashMismatch,
		"the route-bootstrap.exe downloaded from spec.remediation.bootstrap.source is not the one the manager pins (its SHA-256 differs), so nothing ran: publish the route-bootstrap.exe of the manager's release there, or start the manager with --bootstrap-sha256 of your build"},
	ssmdoc.ExitCacheFailed: {ResultFailed, audit.ReasonBootstrapCacheFailed,
		"the host could not prepare route-bootstrap's cache under %ProgramFiles%\\ecswin (the command's error output says why): check free space and that SYSTEM may write there"},
	ssmdoc.ExitStartBlocked: {ResultFailed, audit.ReasonBootstrapBlocked,
		"route-bootstrap was downloaded and verified but Windows would not start it, as when AppLocker or Windows Defender Application Control blocks it: allow route-bootstrap.exe (by its hash) for SYSTEM"},
	ssmdoc.ExitScriptFailed: {ResultFailed, audit.ReasonRepairFailed,
		"the route-bootstrap document failed before it could run route-bootstrap: look at the command's error output in the SSM console"},
	report.ExitGoRuntime: {ResultFailed, audit.ReasonBootstrapCrashed,
		"route-bootstrap crashed (the Go runtime's exit code 2): the command's error output in the SSM console holds the trace; please report it"},
	report.ExitBusy: {ResultCancelled, audit.ReasonHostBusy,
		"another route-bootstrap run held the host (its machine-wide lock), so this one checked nothing; it is retried later"},
	report.ExitUsage: {ResultFailed, audit.ReasonRepairFailed,
		"route-bootstrap refused its arguments (usage error): the manager and route-bootstrap.exe are probably from different releases"},
}

// classifyExit tells what code says by itself, if it is one of those.
func classifyExit(code int32) (exitClass, bool) {
	c, ok := exitClasses[code]
	return c, ok
}
