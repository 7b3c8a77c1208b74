package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

type run struct {
	code           int
	stdout, stderr string
}

func runCLI(t testing.TB, os hostos.OS, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{OS: os, Stdout: &out, Stderr: &errOut, Executable: `C:\tools\route-bootstrap.exe`})
	return run{code: code, stdout: out.String(), stderr: errOut.String()}
}

func mustParse(t *testing.T, r run) *report.Report {
	t.Helper()
	rep, err := report.Parse([]byte(r.stdout))
	if err != nil {
		t.Fatalf("report: %v\nstdout: %s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return rep
}

// hostSetup arranges a host; the spec IDs name containers.
type hostSetup struct {
	withRoute, bare, awsvpc, exiting, hyperV, hostile, hanging int
	faults                                                     []memos.ProxyFault
	reboot                                                     bool
	dadReads                                                   int
}

func (s hostSetup) build() *memos.Host {
	h := memos.NewHost(memos.HostOptions{InstanceID: "i-0abc", DADReads: s.dadReads})
	add := func(n int, prefix string, spec memos.ContainerSpec) {
		for i := range n {
			spec.ID = fmt.Sprintf("%s%02d", prefix, i)
			spec.TaskARN = "arn:aws:ecs:eu-west-1:123456789012:task/c/" + spec.ID
			h.AddContainer(spec)
		}
	}
	add(s.withRoute, "ok", memos.ContainerSpec{WithRoute: true})
	add(s.bare, "bare", memos.ContainerSpec{})
	add(s.awsvpc, "vpc", memos.ContainerSpec{NetworkMode: memos.NetworkAWSVPC})
	add(s.exiting, "exit", memos.ContainerSpec{ExitsDuringExec: true})
	add(s.hyperV, "hyperv", memos.ContainerSpec{HyperV: true})
	add(s.hostile, "hostile", memos.ContainerSpec{Hostile: true})
	add(s.hanging, "hang", memos.ContainerSpec{HangsOnExec: true})
	for _, f := range s.faults {
		h.BreakProxy(f)
	}
	if s.reboot {
		h.Reboot()
	}
	return h
}

// Repair steps as the report words them.
const (
	stepDeleteRule    = "deleted the portproxy rule on 169.254.170.2:80"
	stepRemoveAdapter = "removed the APIPA adapter"
	stepCreateAdapter = "created the APIPA adapter on the nat switch, routing 172.24.16.0/20 through it"
	stepAddAddress    = "added 169.254.170.2/32 to the APIPA adapter"
	stepAddRule       = "added the portproxy rule 169.254.170.2:80 -> 127.0.0.1:51679"
)

// recreate is the whole repair after a restart: what AWS documents
// (delete the proxy interface, set it up again), step by step.
var recreate = []string{stepDeleteRule, stepRemoveAdapter, stepCreateAdapter, stepAddAddress, stepAddRule}

// TestHost covers the host command's decisions on the cases the field
// produces, through the whole command line on the in-memory host.
func TestHost(t *testing.T) {
	repair := []string{"--repair-proxy"}
	tests := map[string]struct {
		setup        hostSetup
		args         []string
		wantCode     int
		wantSummary  report.Summary // compared whole, reasons from wantReasons
		wantReasons  []report.ProxyReason
		wantRepairs  []string
		lackingAfter int  // on the memos host afterwards
		proxyAfter   bool // memos host's proxy health afterwards
	}{
		"healthy host": {
			setup: hostSetup{withRoute: 2, awsvpc: 1}, wantCode: report.ExitHealthy,
			wantSummary: report.Summary{Outcome: report.OutcomeHealthy, ProxyHealthy: true, ContainersChecked: 2, ContainersSkipped: 1},
			proxyAfter:  true,
		},
		"containers lacking the route are repaired": {
			setup: hostSetup{withRoute: 1, bare: 2}, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ContainersChecked: 3,
				ContainersLackingRouteBefore: 2, ContainersRepaired: 2, RoutesAdded: 2},
			proxyAfter: true,
		},
		// Drift a run may not change is reported, not failed (exit 9).
		"check changes nothing": {
			setup: hostSetup{withRoute: 1, bare: 2}, args: []string{"--check"}, wantCode: report.ExitDriftReported,
			wantSummary: report.Summary{Outcome: report.OutcomeBroken, Check: true, ProxyHealthy: true, ContainersChecked: 3,
				ContainersLackingRouteBefore: 2, ContainersLackingRouteAfter: 2},
			lackingAfter: 2, proxyAfter: true,
		},
		"address not up, repair not allowed": {
			setup: hostSetup{withRoute: 1, faults: []memos.ProxyFault{memos.ProxyAddressNotUp}}, wantCode: report.ExitDriftReported,
			wantSummary: report.Summary{Outcome: report.OutcomeBroken, ContainersChecked: 1},
			wantReasons: []report.ProxyReason{report.ProxyAddressNotPreferred},
		},
		"address not up: the endpoint is made again": {
			setup: hostSetup{withRoute: 1, faults: []memos.ProxyFault{memos.ProxyAddressNotUp}, dadReads: 3}, args: repair,
			wantCode:    report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true, ContainersChecked: 1},
			wantRepairs: recreate, proxyAfter: true,
		},
		"check wins over repair-proxy": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyRuleMissing}}, args: []string{"--check", "--repair-proxy"},
			wantCode:    report.ExitDriftReported,
			wantSummary: report.Summary{Outcome: report.OutcomeBroken, Check: true},
			wantReasons: []report.ProxyReason{report.ProxyRuleMissing},
		},
		"agent not listening is reported, never repaired": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyListenerDown}}, args: repair, wantCode: report.ExitNeedsOperator,
			wantSummary: report.Summary{Outcome: report.OutcomeNeedsOperator},
			wantReasons: []report.ProxyReason{report.ProxyAgentNotListening},
		},
		"excluded port range is reported, never repaired": {
			setup: hostSetup{withRoute: 1, faults: []memos.ProxyFault{memos.ProxyExcludedPortRange}}, args: repair,
			wantCode:    report.ExitNeedsOperator,
			wantSummary: report.Summary{Outcome: report.OutcomeNeedsOperator, ContainersChecked: 1},
			wantReasons: []report.ProxyReason{report.ProxyAgentNotListening, report.ProxyExcludedPortRange},
		},
		"an administered exclusion protects the ports: healthy": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyProtectedRange}}, args: repair, wantCode: report.ExitHealthy,
			wantSummary: report.Summary{Outcome: report.OutcomeHealthy, ProxyHealthy: true}, proxyAfter: true,
		},
		"iphlpsvc stopped is reported, never repaired": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyIPHelperStopped}}, args: repair, wantCode: report.ExitNeedsOperator,
			wantSummary: report.Summary{Outcome: report.OutcomeNeedsOperator},
			wantReasons: []report.ProxyReason{report.ProxyIPHelperStopped},
		},
		"adapter missing: made, with the address and the rule": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAdapterMissing}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: []string{stepDeleteRule, stepCreateAdapter, stepAddAddress, stepAddRule}, proxyAfter: true,
		},
		"adapter down: made again": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAdapterDown}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: recreate, proxyAfter: true,
		},
		"address missing: only the address and the rule": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAddressMissing}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: []string{stepDeleteRule, stepAddAddress, stepAddRule}, proxyAfter: true,
		},
		"rule missing: only the rule": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyRuleMissing}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: []string{stepAddRule}, proxyAfter: true,
		},
		"rule to the wrong port: replaced": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyRuleWrongTarget}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: []string{stepDeleteRule, stepAddRule}, proxyAfter: true,
		},
		"ghost rule: found by the probe of 169.254.170.2:80": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyGhostRule}}, wantCode: report.ExitDriftReported,
			wantSummary: report.Summary{Outcome: report.OutcomeBroken},
			wantReasons: []report.ProxyReason{report.ProxyGhostRule},
		},
		"ghost rule: made again": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyGhostRule}}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true},
			wantRepairs: []string{stepDeleteRule, stepAddRule}, proxyAfter: true,
		},
		"address on vEthernet (nat): nothing is touched": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAddressOnNAT, memos.ProxyRuleMissing}}, args: repair,
			wantCode:    report.ExitNeedsOperator,
			wantSummary: report.Summary{Outcome: report.OutcomeNeedsOperator},
			wantReasons: []report.ProxyReason{report.ProxyRuleMissing, report.ProxyAddressOnForeignAdapter},
		},
		"address on vEthernet (nat) that works is left alone": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAddressOnNAT}}, args: repair, wantCode: report.ExitHealthy,
			wantSummary: report.Summary{Outcome: report.OutcomeHealthy, ProxyHealthy: true}, proxyAfter: true,
		},
		"repairable and report-only together: the endpoint is made, the agent is reported": {
			setup: hostSetup{faults: []memos.ProxyFault{memos.ProxyAddressNotUp, memos.ProxyListenerDown}}, args: repair,
			wantCode:    report.ExitNeedsOperator,
			wantSummary: report.Summary{Outcome: report.OutcomeNeedsOperator},
			wantReasons: []report.ProxyReason{report.ProxyAgentNotListening},
			wantRepairs: recreate,
		},
		"a container that exits mid-repair is skipped, not failed": {
			setup: hostSetup{bare: 1, exiting: 1}, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ContainersChecked: 1, ContainersSkipped: 1,
				ContainersLackingRouteBefore: 1, ContainersRepaired: 1, RoutesAdded: 1},
			proxyAfter: true,
		},
		"hyper-v containers are counted apart, never failed": {
			setup: hostSetup{bare: 1, hyperV: 2}, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ContainersChecked: 1, ContainersHyperV: 2,
				ContainersLackingRouteBefore: 1, ContainersRepaired: 1, RoutesAdded: 1},
			lackingAfter: 2, proxyAfter: true,
		},
		"a copy an unprivileged user replaced never runs": {
			setup: hostSetup{withRoute: 1, hostile: 1}, wantCode: report.ExitBroken,
			wantSummary:  report.Summary{Outcome: report.OutcomeBroken, ProxyHealthy: true, ContainersChecked: 2, ContainersFailed: 1},
			lackingAfter: 1, proxyAfter: true,
		},
		"an exec that hangs fails its container only": {
			setup: hostSetup{bare: 2, hanging: 1}, args: []string{"--exec-timeout", "30ms"}, wantCode: report.ExitBroken,
			wantSummary: report.Summary{Outcome: report.OutcomeBroken, ProxyHealthy: true, ContainersChecked: 3, ContainersFailed: 1,
				ContainersLackingRouteBefore: 2, ContainersRepaired: 2, RoutesAdded: 2},
			lackingAfter: 1, proxyAfter: true,
		},
		"reboot, repaired end to end": {
			setup: hostSetup{withRoute: 3, awsvpc: 1, reboot: true}, args: repair, wantCode: report.ExitRepaired,
			wantSummary: report.Summary{Outcome: report.OutcomeRepaired, ProxyHealthy: true, ProxyRepaired: true, ContainersChecked: 3,
				ContainersSkipped: 1, ContainersLackingRouteBefore: 3, ContainersRepaired: 3, RoutesAdded: 3},
			wantRepairs: recreate, proxyAfter: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := tc.setup.build()
			r := runCLI(t, h, append([]string{"host"}, tc.args...)...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			rep := mustParse(t, r)
			got := rep.Summary
			want := tc.wantSummary
			want.Command, want.InstanceID, want.ProxyReasons = report.CommandHost, "i-0abc", tc.wantReasons
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("summary\n got %+v\nwant %+v", got, want)
			}
			if !slices.Equal(rep.Proxy.Repairs, tc.wantRepairs) {
				t.Errorf("repairs\n got %q\nwant %q", rep.Proxy.Repairs, tc.wantRepairs)
			}
			if n := h.ContainersLackingRoute(); n != tc.lackingAfter {
				t.Errorf("host has %d containers lacking the route, want %d", n, tc.lackingAfter)
			}
			if h.ProxyHealthy() != tc.proxyAfter {
				t.Errorf("host proxy healthy %t, want %t", h.ProxyHealthy(), tc.proxyAfter)
			}
			if n := h.BinariesLeft(); n != 0 {
				t.Errorf("%d containers still hold a copy of route-bootstrap", n)
			}
			if n := h.FirewallRules(); n != 1 {
				t.Errorf("%d firewall rules for 51679, want 1", n)
			}
		})
	}
}

func TestHostIsIdempotent(t *testing.T) {
	h := hostSetup{bare: 3, faults: []memos.ProxyFault{memos.ProxyRuleMissing}}.build()
	if r := runCLI(t, h, "host", "--repair-proxy"); r.code != report.ExitRepaired {
		t.Fatalf("first run exit %d: %s", r.code, r.stdout)
	}
	r := runCLI(t, h, "host", "--repair-proxy")
	rep := mustParse(t, r)
	if r.code != report.ExitHealthy || rep.Summary.RoutesAdded+rep.Summary.RoutesReplaced != 0 || rep.Summary.ProxyRepaired {
		t.Fatalf("second run changed something: exit %d %+v", r.code, rep.Summary)
	}
}

func TestHostReportWithHundredContainers(t *testing.T) {
	h := hostSetup{bare: 100}.build()
	r := runCLI(t, h, "host", "--check")
	if len(r.stdout) >= 24000 {
		t.Fatalf("report is %d characters, SSM keeps 24,000", len(r.stdout))
	}
	rep := mustParse(t, r)
	if rep.Summary.ContainersLackingRouteBefore != 100 || len(rep.Containers)+rep.ContainersOmitted != 100 {
		t.Errorf("summary %+v, %d listed + %d omitted", rep.Summary, len(rep.Containers), rep.ContainersOmitted)
	}
}

func TestEnsureThroughCLI(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{})
	h.AddContainer(memos.ContainerSpec{ID: "c"})
	net, _ := h.Network("c")
	os := hostos.NetworkOnly{Network: net}

	r := runCLI(t, os, "ensure", "--check")
	if r.code != report.ExitBroken || h.ContainersLackingRoute() != 1 {
		t.Fatalf("check: exit %d, lacking %d", r.code, h.ContainersLackingRoute())
	}
	r = runCLI(t, os, "ensure")
	if rep := mustParse(t, r); r.code != report.ExitRepaired || rep.Summary.RoutesAdded != 1 {
		t.Fatalf("repair: exit %d %+v", r.code, rep.Summary)
	}
	if r = runCLI(t, os, "ensure"); r.code != report.ExitHealthy {
		t.Fatalf("second run: exit %d", r.code)
	}
	r = runCLI(t, os, "ensure", "--format", "text", "--adapter-pattern", "Nothing*")
	if r.code != report.ExitError || !strings.Contains(r.stdout, "no adapter matches") {
		t.Fatalf("no adapter: exit %d %q", r.code, r.stdout)
	}
}

func TestUsage(t *testing.T) {
	os := hostos.Unsupported()
	tests := map[string]struct {
		args []string
		want int
	}{
		"no command":       {nil, report.ExitUsage},
		"unknown command":  {[]string{"fix"}, report.ExitUsage},
		"unknown flag":     {[]string{"ensure", "--force"}, report.ExitUsage},
		"bad format":       {[]string{"ensure", "--format", "yaml"}, report.ExitUsage},
		"bad destination":  {[]string{"ensure", "--destinations", "169.254.170.2"}, report.ExitUsage},
		"ipv6 destination": {[]string{"host", "--destinations", "fd00::1/128"}, report.ExitUsage},
		"stray argument":   {[]string{"host", "now"}, report.ExitUsage},
		"exec without cmd": {[]string{"exec", "--"}, report.ExitUsage},
		"help":             {[]string{"help"}, report.ExitHealthy},
		"unsupported os":   {[]string{"ensure"}, report.ExitError},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if r := runCLI(t, os, tc.args...); r.code != tc.want {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.want, r.stderr)
			}
		})
	}
}

func TestExec(t *testing.T) {
	tests := map[string]struct {
		pattern  string
		require  bool
		appCode  int
		wantCode int
		wantRan  bool
	}{
		"ensure then run":               {pattern: "Hyper-V*", appCode: 7, wantCode: 7, wantRan: true},
		"failed ensure still runs":      {pattern: "Nothing*", appCode: 0, wantCode: 0, wantRan: true},
		"require-route stops the start": {pattern: "Nothing*", require: true, wantCode: report.ExitError},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := memos.NewHost(memos.HostOptions{})
			h.AddContainer(memos.ContainerSpec{ID: "c"})
			net, _ := h.Network("c")
			var ran []string
			var out, errOut bytes.Buffer
			args := []string{"exec", "--adapter-pattern", tc.pattern}
			if tc.require {
				args = append(args, "--require-route")
			}
			args = append(args, "--", `C:\app\server.exe`, "--port", "8080")
			code := cli.Run(context.Background(), args, cli.Env{
				OS: hostos.NetworkOnly{Network: net}, Stdout: &out, Stderr: &errOut,
				RunApp: func(_ context.Context, argv []string) (int, error) { ran = argv; return tc.appCode, nil },
			})
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut.String())
			}
			if tc.wantRan != (ran != nil) || (ran != nil && !slices.Equal(ran, []string{`C:\app\server.exe`, "--port", "8080"})) {
				t.Errorf("app ran with %q", ran)
			}
			if out.Len() != 0 {
				t.Errorf("exec wrote to the application's stdout: %q", out.String())
			}
			if _, err := report.Parse(errOut.Bytes()[:bytes.IndexByte(errOut.Bytes(), '\n')+1]); err != nil {
				t.Errorf("report on stderr: %v", err)
			}
		})
	}
}

func TestHostTextFormat(t *testing.T) {
	h := hostSetup{withRoute: 1, bare: 1, faults: []memos.ProxyFault{memos.ProxyRuleMissing}}.build()
	r := runCLI(t, h, "host", "--check", "--format", "text")
	if r.code != report.ExitDriftReported {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{
		"route-bootstrap host (check only): Broken",
		"instance: i-0abc",
		"credential proxy: unhealthy (ProxyRuleMissing)",
		"containers: 2 checked, 0 skipped, 1 lacking the route before, 1 after, 0 repaired, 0 failed",
		"container bare00 LackingRoute",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, r.stdout)
		}
	}
}
