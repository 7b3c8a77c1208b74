package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/simtest"
)

// The operator's flags the tests give when pointing ecswinctl at the
// simulator: it is no AWS endpoint, and a test binary embeds no
// route-bootstrap hash.
var (
	simTrust        = []string{"--allow-endpoint-overrides", "--bootstrap-sha256=" + simtest.BootstrapSHA256}
	simTrustOptions = trustOptions{allowEndpointOverrides: true, bootstrapSHA256: simtest.BootstrapSHA256}
)

// Without --allow-endpoint-overrides a policy pointing at the simulator
// is refused before any call, and the message names the field and flag.
func TestAuditRefusesForeignEndpointsWithoutTheFlag(t *testing.T) {
	policy, sim := simPolicy(t, "DryRun")
	var out, errOut bytes.Buffer
	code := runCLI([]string{"audit", "--policy", policy, "--wait=false"}, &out, &errOut)
	if code != cliout.ExitFailed {
		t.Fatalf("exit %d, want %d; stdout %s", code, cliout.ExitFailed, out.String())
	}
	for _, want := range []string{"spec.aws.endpoints.ecs", "--allow-endpoint-overrides"} {
		if !strings.Contains(out.String()+errOut.String(), want) {
			t.Errorf("output does not name %s:\n%s\n%s", want, out.String(), errOut.String())
		}
	}
	if n := sim.Calls().Total("").Calls; n != 0 {
		t.Errorf("the refused policy made %d call(s) to the simulator", n)
	}
}

func TestTrustFlagsAreChecked(t *testing.T) {
	for name, to := range map[string]trustOptions{
		"bad hash": {bootstrapSHA256: "abc"},
		"bad role": {allowedRoleARNs: []string{"*"}},
	} {
		var co coreOptions
		if err := to.apply(&co); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	var co coreOptions
	if err := (trustOptions{bootstrapSHA256: strings.ToUpper(simtest.BootstrapSHA256)}).apply(&co); err != nil || co.bootstrapSHA256 != simtest.BootstrapSHA256 {
		t.Errorf("an upper-case sha256sum is not taken as is: %q, %v", co.bootstrapSHA256, err)
	}
}
