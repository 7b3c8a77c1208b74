//go:build windows

package winos

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"testing"

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
