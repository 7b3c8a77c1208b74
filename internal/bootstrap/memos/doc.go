// Package memos is an in-memory Windows container host: the OS that
// route-bootstrap's tests run against and that the fleet simulator keeps one
// of per simulated instance. It is small (a few hundred bytes per container)
// and safe for concurrent use: one mutex per host guards the host and all of
// its containers.
//
// Exec inside a container runs route-bootstrap's real command line (cli.Run)
// against that container's network, provided the binary was first copied to
// the same path with CopyFile, so the simulator exercises the very logic a
// Windows host would.
package memos
