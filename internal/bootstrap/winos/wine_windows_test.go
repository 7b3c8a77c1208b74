//go:build windows

package winos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

func loadWineFixture(t *testing.T) wineFixture {
	t.Helper()
	raw := os.Getenv(wineFixtureEnv)
	if raw == "" {
		t.Skipf("%s not set: this test runs under Wine, started by TestWineReadSide on Linux", wineFixtureEnv)
	}
	var f wineFixture
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		t.Fatalf("parsing %s: %v", wineFixtureEnv, err)
	}
	return f
}

// TestWineFixtureDiscovery checks adapter and route discovery through IP
// Helper against the namespace's real interfaces and routes. Metrics are not
// asserted: Wine reads them from /proc/net/route as hex.
func TestWineFixtureDiscovery(t *testing.T) {
	f := loadWineFixture(t)
	ctx := context.Background()
	var n Network
	adapters, err := n.Adapters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]uint32{}
	for _, a := range adapters {
		t.Logf("adapter %d alias %q description %q up %t addresses %v", a.Index, a.Alias, a.Description, a.Up, a.Addresses)
		want, ok := f.Adapters[a.Description]
		if !ok {
			continue
		}
		index[a.Description] = a.Index
		found := false
		for _, addr := range a.Addresses {
			if addr.Prefix == netip.MustParsePrefix(want) {
				found = true
				if addr.State != hostos.AddressPreferred {
					t.Errorf("%s: address %s in state %q, want Preferred", a.Description, addr.Prefix, addr.State)
				}
			}
		}
		if !found {
			t.Errorf("%s: address %s not found in %v", a.Description, want, a.Addresses)
		}
	}
	for name := range f.Adapters {
		if _, ok := index[name]; !ok {
			t.Errorf("adapter %s not discovered", name)
		}
	}
	routes, err := n.Routes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes {
		t.Logf("route %s via %s if %d metric %d", r.Destination, r.NextHop, r.InterfaceIndex, r.Metric)
	}
	gw, err := ensure.ChooseDefaultRoute(routes)
	if err != nil {
		t.Fatal(err)
	}
	if gw.NextHop != netip.MustParseAddr(f.Gateway) || gw.InterfaceIndex != index[f.GatewayAdapter] {
		t.Errorf("default route chosen via %s if %d, want %s if %d", gw.NextHop, gw.InterfaceIndex, f.Gateway, index[f.GatewayAdapter])
	}
	stale := hostos.Route{Destination: netip.MustParsePrefix(f.Stale), NextHop: netip.MustParseAddr(f.OtherGateway)}
	seen := false
	for _, r := range routes {
		if r.Destination == stale.Destination && r.NextHop == stale.NextHop {
			seen = true
		}
	}
	if !seen {
		t.Errorf("stale route %s via %s not discovered", stale.Destination, stale.NextHop)
	}
}

// TestWineFixtureEnsureCheck runs ensure's decisions on the real read side.
func TestWineFixtureEnsureCheck(t *testing.T) {
	f := loadWineFixture(t)
	res, err := ensure.Run(context.Background(), Network{}, ensure.Options{
		AdapterPattern: f.Pattern, Check: true,
		Destinations: []netip.Prefix{netip.MustParsePrefix("169.254.170.2/32"), netip.MustParsePrefix("169.254.169.254/32")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Adapter.Description != f.GatewayAdapter {
		t.Errorf("adapter %q chosen, want %q", res.Adapter.Description, f.GatewayAdapter)
	}
	if len(res.Routes) != 2 || res.Routes[0].Action != "stale" || res.Routes[1].Action != "missing" {
		t.Errorf("routes %+v, want stale then missing", res.Routes)
	}
}

// TestWineWritersFailCleanly: Wine does not export CreateIpForwardEntry2
// and DeleteIpForwardEntry2; the writers must say so, not panic. Where a
// platform does export them the call may succeed.
func TestWineWritersFailCleanly(t *testing.T) {
	f := loadWineFixture(t)
	r := hostos.Route{
		Destination: netip.MustParsePrefix("192.0.2.77/32"),
		NextHop:     netip.MustParseAddr(f.Gateway),
	}
	for name, op := range map[string]func(context.Context, hostos.Route) error{
		"AddRoute": Network{}.AddRoute, "DeleteRoute": Network{}.DeleteRoute,
	} {
		err := op(context.Background(), r)
		t.Logf("%s: %v", name, err)
		if err != nil && !errors.Is(err, hostos.ErrUnsupported) && !errors.Is(err, hostos.ErrRouteNotFound) {
			t.Errorf("%s: %v, want nil, ErrUnsupported or ErrRouteNotFound", name, err)
		}
	}
}

// TestWineServiceState reads services through the service control
// manager: Wine's own RPC service runs, a made-up one does not exist.
func TestWineServiceState(t *testing.T) {
	loadWineFixture(t)
	state, err := Proxy{}.ServiceState(context.Background(), "RpcSs")
	if err != nil || state != hostos.ServiceRunning {
		t.Errorf("RpcSs: %q %v, want Running", state, err)
	}
	if state, err := (Proxy{}).ServiceState(context.Background(), "ecswin-no-such-service"); err == nil {
		t.Errorf("a missing service reads as %q", state)
	}
}

// TestWineRunLock: the machine-wide mutex lets one run in at a time, even
// within one process, and lets the next in once released.
func TestWineRunLock(t *testing.T) {
	loadWineFixture(t)
	ctx := context.Background()
	release, err := Runs{}.AcquireRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Runs{}).AcquireRun(ctx); !errors.Is(err, hostos.ErrBusy) {
		t.Fatalf("second run: %v, want ErrBusy", err)
	}
	release()
	again, err := Runs{}.AcquireRun(ctx)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}

// TestWineJobEndsChildren: a child started during a run, alive while the
// run's process lives, dies when that process exits, through the
// kill-on-close Job object.
func TestWineJobEndsChildren(t *testing.T) {
	loadWineFixture(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(self, "job-holder")
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(stdout, &pid); err != nil {
		t.Fatalf("reading the sleeper's PID: %v", err)
	}
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		t.Fatalf("the sleeper is not there while its run lives: %v", err)
	}
	defer windows.CloseHandle(h) //nolint:errcheck // test
	if ev, _ := windows.WaitForSingleObject(h, 0); ev != uint32(windows.WAIT_TIMEOUT) {
		t.Fatal("the sleeper ended before its run did")
	}
	stdin.Close()
	if err := holder.Wait(); err != nil {
		t.Fatalf("job holder: %v", err)
	}
	if ev, _ := windows.WaitForSingleObject(h, 20000); ev != windows.WAIT_OBJECT_0 {
		windows.TerminateProcess(h, 1) //nolint:errcheck // test clean-up
		t.Fatal("the sleeper outlived the process whose run started it")
	}
}
