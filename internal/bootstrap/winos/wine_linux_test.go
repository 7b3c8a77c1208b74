package winos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// requireWineEnv set to "1" turns the Wine test's skips into failures, so
// CI notices when its toolchain went missing.
const requireWineEnv = "ECSWIN_REQUIRE_WINE"

// wineTimeout bounds every Wine or ip call.
const wineTimeout = 3 * time.Minute

// TestWineReadSide runs the Windows read side (IP Helper discovery, gateway
// and adapter choice, ensure --check and host --check) under Wine 8, whose
// IP Helper answers from the Linux network namespace it runs in. Fixtures
// are network namespaces built with ip netns and veth pairs. Linux
// interface names stand in for adapter descriptions.
//
// Needs root, ip, wine (Debian: wine, wine64) and x86_64-w64-mingw32-gcc
// (gcc-mingw-w64-x86-64-win32) for the ProcessPrng shim; skips otherwise.
func TestWineReadSide(t *testing.T) {
	tools := setUpWine(t)

	t.Run("ensure", func(t *testing.T) {
		ns := newWineNetns(t, tools, "e")
		ns.veth("vc0", "172.24.16.10/20")
		ns.veth("vc1", "10.99.0.10/24")
		ns.ip("route", "add", "default", "via", "172.24.16.1", "dev", "vc0", "metric", "100")
		ns.ip("route", "add", "default", "via", "10.99.0.1", "dev", "vc1", "metric", "500")
		ns.ip("route", "add", "169.254.170.2/32", "via", "10.99.0.1", "dev", "vc1")

		fixture, _ := json.Marshal(wineFixture{
			Adapters: map[string]string{"vc0": "172.24.16.10/20", "vc1": "10.99.0.10/24"},
			Gateway:  "172.24.16.1", GatewayAdapter: "vc0", OtherGateway: "10.99.0.1",
			Stale: "169.254.170.2/32", Pattern: "vc*",
		})
		out, errOut, code := ns.wine([]string{wineFixtureEnv + "=" + string(fixture)}, tools.testExe, "-test.v", "-test.run",
			"^TestWineFixture|^TestWineWriters|^TestWineServiceState$|^TestWineRunLock$|^TestWineJobEndsChildren$")
		t.Logf("winos tests under Wine:\n%s%s", out, errOut)
		if code != 0 || !bytes.Contains(out, []byte("PASS")) || bytes.Contains(out, []byte("--- SKIP")) {
			t.Fatalf("winos tests under Wine exited %d", code)
		}

		out, errOut, code = ns.wine(nil, tools.bootstrapExe, "ensure", "--check", "--adapter-pattern", "vc*",
			"--destinations", "169.254.170.2/32,169.254.169.254/32")
		rep := parseReport(t, out, errOut)
		if code != report.ExitBroken || rep.Summary.Outcome != report.OutcomeBroken {
			t.Errorf("ensure --check exited %d with %s, want %d", code, rep.Summary.Outcome, report.ExitBroken)
		}
		vc0 := ns.ifIndex("vc0")
		want := []report.Route{
			{Destination: "169.254.170.2/32", Gateway: "172.24.16.1", Interface: vc0, Action: report.RouteStale},
			{Destination: "169.254.169.254/32", Gateway: "172.24.16.1", Interface: vc0, Action: report.RouteMissing},
		}
		if !slices.Equal(rep.Routes, want) {
			t.Errorf("routes %+v\nwant %+v", rep.Routes, want)
		}
	})

	t.Run("host", func(t *testing.T) {
		ns := newWineNetns(t, tools, "h")
		ns.veth("eth0", "10.0.1.10/24")
		ns.veth("nat0", "172.24.16.1/20")
		// Wine names adapters after Linux interfaces: "apipa0" is what
		// route-bootstrap takes for vEthernet (APIPA).
		ns.veth("apipa0", "169.254.170.2/32")
		ns.ip("route", "add", "default", "via", "10.0.1.1", "dev", "eth0")
		agent := ns.listen("127.0.0.1:51679")
		go acceptAndClose(agent)
		// portproxy's listener on the address tasks use.
		endpoint := ns.listen("169.254.170.2:80")
		go acceptAndClose(endpoint)
		docker := ns.listen("127.0.0.1:23750")
		go http.Serve(docker, fakeDockerAPI()) //nolint:errcheck // ends when the listener closes
		t.Cleanup(func() { docker.Close() })
		ns.wineOK(nil, "reg", "add", portProxyKeyPath, "/v", "169.254.170.2/80", "/t", "REG_SZ", "/d", "127.0.0.1/51679", "/f")
		ns.fakeIPHelper(tools)

		hostEnv := []string{"DOCKER_HOST=tcp://127.0.0.1:23750", "AWS_SSM_INSTANCE_ID=i-0123456789abcdef0"}
		check := func(what string, wantCode int, wantReasons ...report.ProxyReason) *report.Report {
			t.Helper()
			out, errOut, code := ns.wine(hostEnv, tools.bootstrapExe, "host", "--check")
			rep := parseReport(t, out, errOut)
			if code != wantCode || !slices.Equal(rep.Summary.ProxyReasons, wantReasons) {
				t.Errorf("%s: exit %d reasons %v problems %v, want %d %v", what, code, rep.Summary.ProxyReasons, rep.Problems, wantCode, wantReasons)
			}
			return rep
		}
		rep := check("healthy host", report.ExitHealthy)
		wantProxy := report.Proxy{Adapter: "apipa0", AddressState: "Preferred", Rule: "169.254.170.2:80 -> 127.0.0.1:51679",
			AgentListening: true, EndpointListening: true, IPHelper: "Running"}
		if rep.Proxy == nil || fmt.Sprint(*rep.Proxy) != fmt.Sprint(wantProxy) {
			t.Errorf("proxy %+v, want %+v", rep.Proxy, wantProxy)
		}
		if rep.Summary.InstanceID != "i-0123456789abcdef0" || rep.Summary.ContainersSkipped != 2 || rep.Summary.ContainersChecked != 0 {
			t.Errorf("summary %+v: want the instance ID and both awsvpc containers skipped", rep.Summary)
		}

		// The rule goes and the agent stops listening: one repairable
		// fault, and one only an operator fixes.
		ns.wineOK(nil, "reg", "delete", portProxyKeyPath, "/v", "169.254.170.2/80", "/f")
		agent.Close()
		// Under --check drift is reported, not failed.
		check("broken proxy", report.ExitDriftReported, report.ProxyRuleMissing, report.ProxyAgentNotListening)

		// Rule and agent back, but nothing accepts on 169.254.170.2:80:
		// the ghost rule only the probe of the task's path finds.
		ns.wineOK(nil, "reg", "add", portProxyKeyPath, "/v", "169.254.170.2/80", "/t", "REG_SZ", "/d", "127.0.0.1/51679", "/f")
		go acceptAndClose(ns.listen("127.0.0.1:51679"))
		endpoint.Close()
		check("ghost rule", report.ExitDriftReported, report.ProxyGhostRule)

		// iphlpsvc stopped explains the dead endpoint; only reported.
		ns.wineOK(nil, "sc", "stop", "iphlpsvc")
		ns.waitService("iphlpsvc", "STOPPED")
		check("iphlpsvc stopped", report.ExitNeedsOperator, report.ProxyIPHelperStopped)
	})
}

// fakeIPHelper registers the Windows test binary as a service named
// iphlpsvc (Wine has none) and starts it.
func (ns *wineNetns) fakeIPHelper(tools wineTools) {
	ns.t.Helper()
	binPath := "Z:" + strings.ReplaceAll(tools.testExe, "/", `\`) + " fake-service iphlpsvc"
	ns.wineOK(nil, "sc", "create", "iphlpsvc", "binPath=", binPath, "type=", "own")
	ns.wineOK(nil, "sc", "start", "iphlpsvc")
	ns.waitService("iphlpsvc", "RUNNING")
}

// waitService polls sc query until the service reaches state, a few
// seconds at most.
func (ns *wineNetns) waitService(name, state string) {
	ns.t.Helper()
	for range 50 {
		out, _, _ := ns.wine(nil, "sc", "query", name)
		if bytes.Contains(out, []byte(state)) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	ns.t.Fatalf("service %s never reached %s", name, state)
}

// portProxyKeyPath is portProxyKey as reg.exe names it.
const portProxyKeyPath = `HKLM\` + portProxyKey

type wineTools struct {
	shim, bootstrapExe, testExe string
}

// setUpWine skips unless everything is there, then builds the shim DLL,
// route-bootstrap.exe and this package's Windows test binary.
func setUpWine(t *testing.T) wineTools {
	t.Helper()
	skip := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv(requireWineEnv) == "1" {
			t.Fatalf("Wine test required (%s=1) but: %s", requireWineEnv, msg)
		}
		t.Skipf("skipping the Wine test: %s", msg)
	}
	if testing.Short() {
		skip("-short")
	}
	for _, tool := range []string{"go", "wine", "wineboot", "wineserver", "ip", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			skip("%s not found (apt-get install wine wine64 gcc-mingw-w64-x86-64-win32 iproute2)", tool)
		}
	}
	if os.Geteuid() != 0 {
		skip("ip netns needs root")
	}
	probe := fmt.Sprintf("ecswin-probe-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", probe).CombinedOutput(); err != nil {
		skip("ip netns unavailable: %v: %s", err, bytes.TrimSpace(out))
	}
	exec.Command("ip", "netns", "del", probe).Run() //nolint:errcheck // best effort

	dir := t.TempDir()
	root := moduleRoot(t)
	tools := wineTools{
		shim:         filepath.Join(dir, "bcryptprimitives.dll"),
		bootstrapExe: filepath.Join(dir, "route-bootstrap.exe"),
		testExe:      filepath.Join(dir, "winos.test.exe"),
	}
	run(t, root, nil, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", tools.shim,
		"hack/wine/bcryptprimitives.c", "hack/wine/bcryptprimitives.def", "-ladvapi32")
	crossEnv := []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}
	run(t, root, crossEnv, "go", "build", "-o", tools.bootstrapExe, "./cmd/route-bootstrap")
	run(t, root, crossEnv, "go", "test", "-c", "-o", tools.testExe, "./internal/bootstrap/winos")
	return tools
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	// The go on PATH, as the lookup in setUpWine checked.
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("locating the module: %v", err)
	}
	return filepath.Dir(string(bytes.TrimSpace(out)))
}

func run(t *testing.T, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wineTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// wineNetns is a network namespace with its own WINEPREFIX: wineserver
// stays in the namespace it started in, so prefixes are never shared.
type wineNetns struct {
	t      *testing.T
	name   string
	prefix string
	peers  int
}

func newWineNetns(t *testing.T, tools wineTools, tag string) *wineNetns {
	t.Helper()
	ns := &wineNetns{t: t, name: fmt.Sprintf("ecswin-wine-%d-%s", os.Getpid(), tag), prefix: filepath.Join(t.TempDir(), "prefix")}
	run(t, "", nil, "ip", "netns", "add", ns.name)
	t.Cleanup(func() {
		cmd := exec.Command("ip", "netns", "exec", ns.name, "wineserver", "-k")
		cmd.Env = ns.env(nil)
		cmd.Run()                                         //nolint:errcheck // the server may have gone already
		exec.Command("ip", "netns", "del", ns.name).Run() //nolint:errcheck // best effort
	})
	ns.ip("link", "set", "lo", "up")
	run(t, "", ns.env(nil), "ip", "netns", "exec", ns.name, "wineboot", "-i")
	// A persistent wineserver keeps services (the fake iphlpsvc) alive
	// between commands; it forks into the background and keeps whatever
	// output it was given open, so it gets none. The clean-up kills it.
	persist := exec.Command("ip", "netns", "exec", ns.name, "wineserver", "-p")
	persist.Env = ns.env(nil)
	if err := persist.Run(); err != nil {
		t.Fatalf("wineserver -p: %v", err)
	}
	system32 := filepath.Join(ns.prefix, "drive_c", "windows", "system32")
	data, err := os.ReadFile(tools.shim)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(system32, "bcryptprimitives.dll"), data, 0o644); err != nil {
		t.Fatalf("installing the ProcessPrng shim: %v", err)
	}
	return ns
}

func (ns *wineNetns) env(extra []string) []string {
	return append(os.Environ(), append([]string{
		"WINEPREFIX=" + ns.prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=",
	}, extra...)...)
}

func (ns *wineNetns) ip(args ...string) {
	ns.t.Helper()
	run(ns.t, "", nil, "ip", append([]string{"-n", ns.name}, args...)...)
}

// veth adds an up veth pair whose first end carries the given prefixes;
// the peer is named "peerN" (nothing a test matches) and stays
// unaddressed.
func (ns *wineNetns) veth(name string, prefixes ...string) {
	ns.t.Helper()
	ns.peers++
	peer := fmt.Sprintf("peer%d", ns.peers)
	ns.ip("link", "add", name, "type", "veth", "peer", "name", peer)
	ns.ip("link", "set", name, "up")
	ns.ip("link", "set", peer, "up")
	for _, p := range prefixes {
		ns.ip("addr", "add", p, "dev", name)
	}
}

func (ns *wineNetns) ifIndex(link string) uint32 {
	ns.t.Helper()
	out := run(ns.t, "", nil, "ip", "-n", ns.name, "-o", "link", "show", link)
	idx, _, _ := strings.Cut(string(out), ":")
	n, err := strconv.ParseUint(idx, 10, 32)
	if err != nil {
		ns.t.Fatalf("parsing ifindex of %s from %q", link, out)
	}
	return uint32(n)
}

// wine runs a Windows program in the namespace and returns its streams and
// exit code. The streams go to files, not pipes: a wineserver or service
// that the program starts inherits them and may outlive it, and a pipe
// would then never reach its end.
func (ns *wineNetns) wine(extraEnv []string, args ...string) (stdout, stderr []byte, code int) {
	ns.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wineTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns.name, "wine"}, args...)...)
	cmd.Env = ns.env(extraEnv)
	outFile, errFile := ns.tempFile(), ns.tempFile()
	cmd.Stdout, cmd.Stderr = outFile, errFile
	err := cmd.Run()
	stdout, stderr = readBack(ns.t, outFile), readBack(ns.t, errFile)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return stdout, stderr, exit.ExitCode()
	case err != nil:
		ns.t.Fatalf("wine %s: %v", strings.Join(args, " "), err)
	}
	return stdout, stderr, 0
}

func (ns *wineNetns) tempFile() *os.File {
	ns.t.Helper()
	f, err := os.CreateTemp(ns.t.TempDir(), "wine-out-")
	if err != nil {
		ns.t.Fatal(err)
	}
	return f
}

func readBack(t *testing.T, f *os.File) []byte {
	t.Helper()
	defer f.Close()
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (ns *wineNetns) wineOK(extraEnv []string, args ...string) {
	ns.t.Helper()
	if out, errOut, code := ns.wine(extraEnv, args...); code != 0 {
		ns.t.Fatalf("wine %s exited %d: %s%s", strings.Join(args, " "), code, out, errOut)
	}
}

// listen opens a TCP listener inside the namespace from a thread that
// joins it; the thread stays locked so it dies with its goroutine instead
// of returning to the scheduler inside the namespace.
func (ns *wineNetns) listen(addr string) net.Listener {
	ns.t.Helper()
	type result struct {
		l   net.Listener
		err error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(filepath.Join("/var/run/netns", ns.name))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{err: fmt.Errorf("setns: %w", err)}
			return
		}
		l, err := net.Listen("tcp", addr)
		done <- result{l: l, err: err}
	}()
	r := <-done
	if r.err != nil {
		ns.t.Fatalf("listening on %s in %s: %v", addr, ns.name, r.err)
	}
	ns.t.Cleanup(func() { r.l.Close() })
	return r.l
}

func acceptAndClose(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// fakeDockerAPI answers the calls host --check makes when no NAT container
// runs: the version ping, the container list (an awsvpc task's pause
// container and a container joined to it) and each one's inspect.
func fakeDockerAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.44")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			io.WriteString(w, "OK") //nolint:errcheck // test server
		case strings.Contains(r.URL.Path, "/containers/") && strings.HasSuffix(r.URL.Path, "/json") && !strings.HasSuffix(r.URL.Path, "/containers/json"):
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"State": map[string]bool{"Running": true}, "HostConfig": map[string]string{"Isolation": "process"}}) //nolint:errcheck // test server
		case strings.HasSuffix(r.URL.Path, "/containers/json"):
			task := "arn:aws:ecs:eu-west-1:123456789012:task/c/0123456789abcdef"
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode([]map[string]any{ //nolint:errcheck // test server
				{"Id": "aaaaaaaaaaaa0000", "Labels": map[string]string{"com.amazonaws.ecs.task-arn": task, "com.amazonaws.ecs.container-name": "~internal~ecs~pause"}, "HostConfig": map[string]string{"NetworkMode": "nat"}},
				{"Id": "bbbbbbbbbbbb0000", "Labels": map[string]string{"com.amazonaws.ecs.task-arn": task, "com.amazonaws.ecs.container-name": "app"}, "HostConfig": map[string]string{"NetworkMode": "container:aaaaaaaaaaaa0000"}},
			})
		default:
			http.NotFound(w, r)
		}
	})
}

func parseReport(t *testing.T, stdout, stderr []byte) *report.Report {
	t.Helper()
	rep, err := report.Parse(stdout)
	if err != nil {
		t.Fatalf("report: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	return rep
}
