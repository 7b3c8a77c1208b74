package ensure_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

var (
	gw        = netip.MustParseAddr("172.24.16.1")
	otherGW   = netip.MustParseAddr("172.24.32.1")
	anyDst    = netip.MustParsePrefix("0.0.0.0/0")
	creds     = netip.MustParsePrefix("169.254.170.2/32")
	metadata  = netip.MustParsePrefix("169.254.169.254/32")
	loopback  = hostos.Adapter{Index: 1, Alias: "Loopback Pseudo-Interface 1", Description: "Software Loopback Interface 1", Up: true}
	vEthernet = func(index uint32, desc, prefix string) hostos.Adapter {
		return hostos.Adapter{Index: index, Alias: "Ethernet", Description: desc, Up: true,
			Addresses: []hostos.Address{{Prefix: netip.MustParsePrefix(prefix), State: hostos.AddressPreferred}}}
	}
	route = func(dst netip.Prefix, hop netip.Addr, ifIndex, metric uint32) hostos.Route {
		return hostos.Route{Destination: dst, NextHop: hop, InterfaceIndex: ifIndex, Metric: metric}
	}
)

// options asks for both of the guide's routes, so the field cases cover
// more than one destination.
func options(check bool) ensure.Options {
	return ensure.Options{AdapterPattern: ensure.DefaultAdapterPattern, Destinations: []netip.Prefix{creds, metadata}, Check: check}
}

// TestRunFieldCases runs ensure on the compartments the field produces.
func TestRunFieldCases(t *testing.T) {
	nic := vEthernet(21, "Hyper-V Virtual Ethernet Adapter #3", "172.24.16.10/20")
	defaultRoute := route(anyDst, gw, 21, 5256)
	right := []hostos.Route{defaultRoute, route(creds, gw, 21, 5256), route(metadata, gw, 21, 5256)}
	tests := map[string]struct {
		adapters    []hostos.Adapter
		routes      []hostos.Route
		check       bool
		stopAfter   int
		wantErr     error
		wantActions []report.RouteAction
		wantIf      uint32
		wantGW      netip.Addr
		wantRoutes  []hostos.Route // exact final table, when set
	}{
		"route already right": {
			adapters: []hostos.Adapter{loopback, nic}, routes: right,
			wantActions: []report.RouteAction{report.RouteOK, report.RouteOK}, wantIf: 21, wantGW: gw, wantRoutes: right,
		},
		"routes missing": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{defaultRoute},
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"stale route with the wrong next hop": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{defaultRoute, route(creds, otherGW, 21, 5256)},
			wantActions: []report.RouteAction{report.RouteReplaced, report.RouteAdded}, wantIf: 21, wantGW: gw,
			wantRoutes: []hostos.Route{defaultRoute, route(creds, gw, 21, 0), route(metadata, gw, 21, 0)},
		},
		"stale route on the wrong interface": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{defaultRoute, route(creds, gw, 1, 256)},
			wantActions: []report.RouteAction{report.RouteReplaced, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"stale route checked only": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{defaultRoute, route(creds, otherGW, 21, 5256)}, check: true,
			wantActions: []report.RouteAction{report.RouteStale, report.RouteMissing}, wantIf: 21, wantGW: gw,
			wantRoutes: []hostos.Route{defaultRoute, route(creds, otherGW, 21, 5256)},
		},
		"several vEthernet adapters: the default route's wins": {
			adapters:    []hostos.Adapter{loopback, vEthernet(18, "Hyper-V Virtual Ethernet Adapter #1", "172.24.32.10/20"), nic},
			routes:      []hostos.Route{defaultRoute},
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"several vEthernet adapters: the gateway's subnet wins": {
			adapters:    []hostos.Adapter{loopback, vEthernet(18, "Hyper-V Virtual Ethernet Adapter #1", "172.24.32.10/20"), nic},
			routes:      []hostos.Route{route(anyDst, gw, 30, 5256)},
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"two default routes with different metrics": {
			adapters:    []hostos.Adapter{loopback, nic, vEthernet(18, "Hyper-V Virtual Ethernet Adapter #1", "172.24.32.10/20")},
			routes:      []hostos.Route{route(anyDst, otherGW, 18, 6000), defaultRoute},
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"on-link default route is not a gateway": {
			adapters:    []hostos.Adapter{loopback, nic},
			routes:      []hostos.Route{route(anyDst, netip.IPv4Unspecified(), 1, 1), defaultRoute},
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteAdded}, wantIf: 21, wantGW: gw,
		},
		"no default route": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{route(creds, otherGW, 21, 1)},
			wantErr: ensure.ErrNoDefaultRoute, wantRoutes: []hostos.Route{route(creds, otherGW, 21, 1)},
		},
		"adapter missing": {
			adapters: []hostos.Adapter{loopback, vEthernet(5, "Microsoft Hyper-V Network Adapter", "172.24.16.10/20")},
			routes:   []hostos.Route{defaultRoute},
			wantErr:  ensure.ErrNoAdapter, wantRoutes: []hostos.Route{defaultRoute},
		},
		"container exits mid-repair": {
			adapters: []hostos.Adapter{loopback, nic}, routes: []hostos.Route{defaultRoute}, stopAfter: 1,
			wantActions: []report.RouteAction{report.RouteAdded, report.RouteFailed}, wantIf: 21, wantGW: gw,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			comp := memos.NewCompartment(tc.adapters, tc.routes)
			comp.StopAfterChanges(tc.stopAfter)
			res, err := ensure.Run(context.Background(), comp, options(tc.check))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				if comp.Changes() != 0 {
					t.Errorf("%d changes after an error", comp.Changes())
				}
			} else {
				var actions []report.RouteAction
				for _, r := range res.Routes {
					actions = append(actions, r.Action)
				}
				if !slices.Equal(actions, tc.wantActions) {
					t.Errorf("actions %v, want %v", actions, tc.wantActions)
				}
				if res.Adapter.Index != tc.wantIf || res.Gateway.NextHop != tc.wantGW {
					t.Errorf("chose if %d via %s, want if %d via %s", res.Adapter.Index, res.Gateway.NextHop, tc.wantIf, tc.wantGW)
				}
			}
			if tc.check && comp.Changes() != 0 {
				t.Errorf("--check made %d changes", comp.Changes())
			}
			if tc.wantRoutes != nil && tc.stopAfter == 0 {
				got, _ := comp.Routes(context.Background())
				if !slices.Equal(got, tc.wantRoutes) {
					t.Errorf("routes\n got %v\nwant %v", got, tc.wantRoutes)
				}
			}
		})
	}
}

func TestRunTwiceChangesNothingTheSecondTime(t *testing.T) {
	comp := memos.NewCompartment(
		[]hostos.Adapter{loopback, vEthernet(21, "Hyper-V Virtual Ethernet Adapter #3", "172.24.16.10/20")},
		[]hostos.Route{route(anyDst, gw, 21, 5256), route(creds, otherGW, 21, 5256)},
	)
	first, err := ensure.Run(context.Background(), comp, options(false))
	if err != nil || first.Added+first.Replaced != 2 || !first.LackingBefore || first.LackingAfter {
		t.Fatalf("first run: %+v %v", first, err)
	}
	changes := comp.Changes()
	second, err := ensure.Run(context.Background(), comp, options(false))
	if err != nil || second.Added+second.Replaced != 0 || second.LackingBefore || comp.Changes() != changes {
		t.Fatalf("second run changed something: %+v %v (changes %d -> %d)", second, err, changes, comp.Changes())
	}
}

// TestDefaultsTouchOnlyTheCredentialRoute: by default only 169.254.170.2/32
// is managed. Routes to anything else, the instance-metadata route left by
// an older setup or a broader link-local route among them, are never
// deleted, whatever their gateway.
func TestDefaultsTouchOnlyTheCredentialRoute(t *testing.T) {
	nic := vEthernet(21, "Hyper-V Virtual Ethernet Adapter #3", "172.24.16.10/20")
	defaultRoute := route(anyDst, gw, 21, 5256)
	foreign := []hostos.Route{
		route(metadata, otherGW, 21, 5256),
		route(netip.MustParsePrefix("169.254.0.0/16"), otherGW, 21, 5256),
		route(netip.MustParsePrefix("169.254.170.0/24"), otherGW, 21, 5256),
	}
	comp := memos.NewCompartment([]hostos.Adapter{loopback, nic}, append([]hostos.Route{defaultRoute}, foreign...))
	res, err := ensure.Run(context.Background(), comp, ensure.Options{
		AdapterPattern: ensure.DefaultAdapterPattern, Destinations: ensure.DefaultDestinations,
	})
	if err != nil || res.Added != 1 || res.Replaced != 0 || len(res.Routes) != 1 || res.Routes[0].Destination != creds.String() {
		t.Fatalf("run: %+v %v", res, err)
	}
	got, _ := comp.Routes(context.Background())
	want := append(append([]hostos.Route{defaultRoute}, foreign...), route(creds, gw, 21, 0))
	if !slices.Equal(got, want) {
		t.Errorf("routes\n got %v\nwant %v", got, want)
	}
}

func TestLike(t *testing.T) {
	tests := map[string]struct {
		s, pattern string
		want       bool
	}{
		"prefix":           {"Hyper-V Virtual Ethernet Adapter #2", "Hyper-V Virtual Ethernet*", true},
		"case":             {"hyper-v virtual ethernet adapter", "Hyper-V Virtual Ethernet*", true},
		"other":            {"Microsoft Hyper-V Network Adapter", "Hyper-V Virtual Ethernet*", false},
		"question":         {"vc0", "vc?", true},
		"question needs 1": {"vc", "vc?", false},
		"inner star":       {"Hyper-V Virtual Ethernet Container Adapter", "Hyper-V*Container*", true},
		"exact":            {"eth0", "eth0", true},
		"exact longer":     {"eth01", "eth0", false},
		"star only":        {"", "*", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ensure.Like(tc.s, tc.pattern); got != tc.want {
				t.Errorf("Like(%q, %q) = %t", tc.s, tc.pattern, got)
			}
		})
	}
}
