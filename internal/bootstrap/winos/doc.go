// Package winos is the real Windows OS behind route-bootstrap: routes and
// adapters through IP Helper (golang.org/x/sys/windows), the portproxy rules
// from the registry, excluded port ranges from netsh, and the agent probe
// over TCP. Containers come from package dockerrt.
//
// Every IP Helper export is looked up with LazyProc.Find before it is
// called, so a platform lacking one (Wine lacks CreateIpForwardEntry2 and
// DeleteIpForwardEntry2) yields hostos.ErrUnsupported instead of a panic.
//
// The parsers (netsh output, portproxy registry values) build on every OS
// so that Linux tests cover them.
package winos
