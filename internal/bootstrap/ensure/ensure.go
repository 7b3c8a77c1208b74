package ensure

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// DefaultAdapterPattern is the guide's adapter pattern.
const DefaultAdapterPattern = "Hyper-V Virtual Ethernet*"

// DefaultDestinations is the credential endpoint only. AWS's guide also
// routes instance metadata (169.254.169.254/32), which hands every NAT
// container the instance profile's credentials; AWS advises blocking tasks
// from IMDS, so that route is opt-in (--destinations, the policy's
// spec.route.destinations).
var DefaultDestinations = []netip.Prefix{
	netip.MustParsePrefix("169.254.170.2/32"),
}

// Options steer one run.
type Options struct {
	AdapterPattern string
	Destinations   []netip.Prefix
	// Check reads only.
	Check bool
}

// Result is what one run found and did.
type Result struct {
	Gateway hostos.Route
	Adapter hostos.Adapter
	Routes  []report.Route
	// LackingBefore: some destination was missing or stale at the start.
	LackingBefore bool
	// LackingAfter: some destination is still missing or stale.
	LackingAfter bool
	Added        int
	Replaced     int
	// Errors from individual route changes.
	Errors []error
}

// Run makes (or, with Check, inspects) the destination routes of net.
func Run(ctx context.Context, net hostos.Network, opts Options) (Result, error) {
	var res Result
	routes, err := net.Routes(ctx)
	if err != nil {
		return res, fmt.Errorf("listing routes: %w", err)
	}
	if res.Gateway, err = ChooseDefaultRoute(routes); err != nil {
		return res, err
	}
	adapters, err := net.Adapters(ctx)
	if err != nil {
		return res, fmt.Errorf("listing adapters: %w", err)
	}
	if res.Adapter, err = ChooseAdapter(adapters, opts.AdapterPattern, res.Gateway); err != nil {
		return res, err
	}
	for _, dst := range opts.Destinations {
		want := hostos.Route{Destination: dst, NextHop: res.Gateway.NextHop, InterfaceIndex: res.Adapter.Index}
		plan := PlanRoute(routes, want)
		if plan.Action != report.RouteOK {
			res.LackingBefore = true
		}
		action := plan.Action
		if !opts.Check && action != report.RouteOK {
			action = apply(ctx, net, plan, &res)
		} else if action != report.RouteOK {
			action = checkAction(action)
			res.LackingAfter = true
		}
		res.Routes = append(res.Routes, report.Route{
			Destination: dst.String(), Gateway: want.NextHop.String(), Interface: want.InterfaceIndex, Action: action,
		})
	}
	return res, nil
}

// Plan says what one destination needs.
type Plan struct {
	Want   hostos.Route
	Stale  []hostos.Route
	Action report.RouteAction // RouteOK, RouteAdded or RouteReplaced
	Exists bool
}

// PlanRoute compares the routes to dst with the wanted one.
func PlanRoute(routes []hostos.Route, want hostos.Route) Plan {
	p := Plan{Want: want}
	for _, r := range routes {
		if r.Destination != want.Destination {
			continue
		}
		if r.SameTarget(want) {
			p.Exists = true
			continue
		}
		p.Stale = append(p.Stale, r)
	}
	switch {
	case len(p.Stale) > 0:
		p.Action = report.RouteReplaced
	case !p.Exists:
		p.Action = report.RouteAdded
	default:
		p.Action = report.RouteOK
	}
	return p
}

func checkAction(a report.RouteAction) report.RouteAction {
	if a == report.RouteReplaced {
		return report.RouteStale
	}
	return report.RouteMissing
}

func apply(ctx context.Context, net hostos.Network, p Plan, res *Result) report.RouteAction {
	for _, r := range p.Stale {
		if err := net.DeleteRoute(ctx, r); err != nil && !errors.Is(err, hostos.ErrRouteNotFound) {
			res.Errors = append(res.Errors, fmt.Errorf("deleting stale route %s via %s: %w", r.Destination, r.NextHop, err))
			res.LackingAfter = true
			return report.RouteFailed
		}
	}
	if !p.Exists {
		if err := net.AddRoute(ctx, p.Want); err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("adding route %s via %s: %w", p.Want.Destination, p.Want.NextHop, err))
			res.LackingAfter = true
			return report.RouteFailed
		}
	}
	if p.Action == report.RouteReplaced {
		res.Replaced++
	} else {
		res.Added++
	}
	return p.Action
}
