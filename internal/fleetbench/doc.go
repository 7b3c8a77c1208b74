// Package fleetbench measures ecswin over a simulated day: a fleet of
// Windows hosts on the simulator, tasks replaced on every host as a
// Poisson process, drift that no task start explains, and the reconcile
// loop driven on a fake clock through the real SDK. It reports what the
// issues quote: route-bootstrap runs per day, time from a host breaking
// to the run that fixed it (the simulator's own outages, so ground
// truth, not ecswin's view), and AWS calls per day.
//
// The benchmark lives in the package's tests (day_test.go):
//
//	go test ./internal/fleetbench -run '^$' -bench Day -benchtime 1x -timeout 2h
package fleetbench
