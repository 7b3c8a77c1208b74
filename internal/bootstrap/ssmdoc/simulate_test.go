package ssmdoc

import (
	"bytes"
	"context"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// TestSendCommandOnMemoryHost runs what the simulator runs for a
// SendCommand: HostArgs, cli.Run on an in-memory host, CommandExitCode.
func TestSendCommandOnMemoryHost(t *testing.T) {
	tests := map[string]struct {
		check       string
		wantBoot    int
		wantCommand int
		wantLacking int
	}{
		"repair": {check: "false", wantBoot: report.ExitRepaired, wantCommand: 0},
		// A check that finds drift did what it was asked: the invocation
		// succeeds and the report says what is wrong.
		"check": {check: "true", wantBoot: report.ExitDriftReported, wantCommand: 0, wantLacking: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := memos.NewHost(memos.HostOptions{InstanceID: "i-0sim"})
			h.AddContainer(memos.ContainerSpec{ID: "c1"})
			args, err := HostArgs(map[string][]string{
				ParamSource: {"https://example.com/route-bootstrap.exe"}, ParamCheck: {tc.check},
			})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := cli.Run(context.Background(), args, cli.Env{OS: h, Stdout: &out, Executable: "rb.exe"})
			if code != tc.wantBoot || CommandExitCode(code) != tc.wantCommand {
				t.Errorf("route-bootstrap exit %d -> command %d, want %d -> %d", code, CommandExitCode(code), tc.wantBoot, tc.wantCommand)
			}
			if out.Len() >= 24000 {
				t.Errorf("stdout %d characters", out.Len())
			}
			if _, err := report.Parse(out.Bytes()); err != nil {
				t.Error(err)
			}
			if h.ContainersLackingRoute() != tc.wantLacking {
				t.Errorf("lacking %d, want %d", h.ContainersLackingRoute(), tc.wantLacking)
			}
		})
	}
}
