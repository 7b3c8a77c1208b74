package ensure

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Errors of the choices, wrapped with detail.
var (
	ErrNoDefaultRoute = errors.New("no default route")
	ErrNoAdapter      = errors.New("no adapter matches")
)

var defaultDestination = netip.PrefixFrom(netip.IPv4Unspecified(), 0)

// ChooseDefaultRoute picks the 0.0.0.0/0 route with a next hop and the
// lowest metric; ties go to the lower interface index, then next hop.
func ChooseDefaultRoute(routes []hostos.Route) (hostos.Route, error) {
	var best hostos.Route
	found := false
	for _, r := range routes {
		if r.Destination != defaultDestination || !r.NextHop.Is4() || r.NextHop.IsUnspecified() {
			continue
		}
		if !found || lessRoute(r, best) {
			best, found = r, true
		}
	}
	if !found {
		return hostos.Route{}, ErrNoDefaultRoute
	}
	return best, nil
}

func lessRoute(a, b hostos.Route) bool {
	if a.Metric != b.Metric {
		return a.Metric < b.Metric
	}
	if a.InterfaceIndex != b.InterfaceIndex {
		return a.InterfaceIndex < b.InterfaceIndex
	}
	return a.NextHop.Less(b.NextHop)
}

// ChooseAdapter applies the package's adapter rule.
func ChooseAdapter(adapters []hostos.Adapter, pattern string, gateway hostos.Route) (hostos.Adapter, error) {
	var matches []hostos.Adapter
	for _, a := range adapters {
		if Like(a.Description, pattern) {
			matches = append(matches, a)
		}
	}
	slices.SortFunc(matches, func(a, b hostos.Adapter) int { return int(a.Index) - int(b.Index) })
	switch len(matches) {
	case 0:
		return hostos.Adapter{}, fmt.Errorf("%w %q among %d adapters", ErrNoAdapter, pattern, len(adapters))
	case 1:
		return matches[0], nil
	}
	for _, a := range matches {
		if a.Index == gateway.InterfaceIndex {
			return a, nil
		}
	}
	for _, a := range matches {
		for _, addr := range a.Addresses {
			if addr.Prefix.Masked().Contains(gateway.NextHop) {
				return a, nil
			}
		}
	}
	for _, a := range matches {
		if a.Up {
			return a, nil
		}
	}
	return matches[0], nil
}
