package ssmapi

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
)

// Output limits of GetCommandInvocation and ListCommandInvocations.
const (
	maxStdout        = 24000
	maxStderr        = 8000
	maxPluginOutput  = 2500
	pluginErrorSplit = "\n----------ERROR-------\n"
)

// binaryPath is where the document's script caches route-bootstrap.exe;
// route-bootstrap copies itself from there into containers.
const binaryPath = `C:\ProgramData\ecswin\route-bootstrap\route-bootstrap.exe`

// complete ends a running invocation at its scheduled time, running the
// document on the host unless the host hangs or fails by design.
func (a *API) complete(inv *invocation) {
	at := inv.end
	inv.inst.Host.CommandsRun++
	switch {
	case inv.hang || at.Sub(inv.started) >= inv.cmd.execTimeout && a.Timing.Execution > inv.cmd.execTimeout:
		inv.stderr = "The command was stopped: execution timed out."
		inv.finish(statusTimedOut, detailExecTimedOut, at)
		return
	case inv.inst.Host.Behavior == fleet.BehaveFail:
		inv.responseCode = 1
		inv.stderr = "simulated failure: the script terminated with an unexpected error"
		inv.finish(statusFailed, detailFailed, at)
		return
	}
	code, stdout, stderr := a.runDocument(inv)
	a.Fleet.NoteRepairAttempt(inv.inst)
	inv.responseCode = code
	inv.stdout = truncate(stdout, maxStdout)
	inv.stderr = truncate(stderr, maxStderr)
	if code == 0 {
		inv.finish(statusSuccess, detailSuccess, at)
	} else {
		inv.finish(statusFailed, detailFailed, at)
	}
}

// runDocument runs the command's first step on the host and returns the
// exit code and output. A step whose platform precondition does not
// hold is skipped (and succeeds), as the agent does; a route-bootstrap
// step runs route-bootstrap's real command line on the host's in-memory
// OS; any other script succeeds without output.
func (a *API) runDocument(inv *invocation) (int, string, string) {
	steps := inv.cmd.version.parsed.steps()
	if len(steps) == 0 {
		return 0, "", ""
	}
	step := steps[0]
	if want := step.Precondition["StringEquals"]; len(want) == 2 && want[0] == "platformType" && want[1] != platformType(inv.inst) {
		return 0, fmt.Sprintf("Step execution skipped due to unsatisfied preconditions: '\"StringEquals\": [platformType, %s]'.", want[1]), ""
	}
	if !strings.Contains(string(step.Inputs.RunCommand), "route-bootstrap") {
		return 0, "", ""
	}
	os := inv.inst.OS()
	if os == nil {
		return 1, "", "route-bootstrap runs on Windows hosts only"
	}
	args, err := ssmdoc.HostArgs(inv.cmd.params)
	if err != nil {
		return 1, "", fmt.Sprintf("route-bootstrap document: %v", err)
	}
	var stdout, stderr bytes.Buffer
	exit := cli.Run(context.Background(), args, cli.Env{OS: os, Stdout: &stdout, Stderr: &stderr, Executable: binaryPath})
	return ssmdoc.CommandExitCode(exit), stdout.String(), stderr.String()
}

func platformType(inst *fleet.Instance) string {
	if inst.Windows() {
		return "Windows"
	}
	return "Linux"
}

// truncate keeps the first n characters, as SSM does.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

// pluginOutput is the combined output ListCommandInvocations shows with
// Details, cut at 2,500 characters.
func pluginOutput(inv *invocation) string {
	out := inv.stdout
	if inv.stderr != "" {
		out += pluginErrorSplit + inv.stderr
	}
	return truncate(out, maxPluginOutput)
}
