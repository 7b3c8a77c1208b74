// Package ensure is the route logic AWS's container bootstrap script runs,
// in Go: find the container's default gateway and adapter, and make each
// destination route (by default only 169.254.170.2/32) go through them
// in the active store.
//
// Choices, in order:
//   - Gateway: among 0.0.0.0/0 routes with a next hop, the lowest metric;
//     ties go to the lower interface index, then the lower next hop.
//   - Adapter: the adapters whose description matches the pattern
//     (PowerShell -like semantics: case-insensitive, * and ?). None: an
//     error and no change. One: that one. Several: the one the chosen
//     default route leaves through; else the one with an address whose
//     prefix holds the gateway; else the lowest index that is up; else the
//     lowest index.
//   - Each destination: a route via the gateway on the adapter is kept; any
//     other route to that exact destination is stale and is deleted; the
//     right one is added if absent. A second run therefore changes nothing.
//   - Check mode reads only and reports what it would do.
package ensure
