package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simpolicy"
)

// With the simulator's event queue in the policy, run's loop hears of a
// task that started without the route and fixes its host, although the
// policy's inventory (an hour) would not have found it yet.
func TestRunActsOnEvents(t *testing.T) {
	simPolicy(t, "Enforce") // only for its AWS environment
	sim := smallSim(t)
	url, stopSim := sim.Start()
	t.Cleanup(stopSim)
	queueURL, err := deployEventQueue(sim)
	if err != nil {
		t.Fatal(err)
	}
	params := simpolicy.For(sim, url, "sim")
	params.Enforce, params.Inventory, params.QueueURL = true, time.Hour, queueURL
	p, err := simpolicy.Policy(params)
	if err != nil {
		t.Fatal(err)
	}
	c := simTrustCore(t)
	ctx, cancel := context.WithCancel(context.Background())
	stop := c.startEvents(ctx)
	done := make(chan error, 1)
	go func() { done <- loop(ctx, c.engine, refOf(p), p.Spec, io.Discard, c.wake) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("loop: %v", err)
		}
		stop()
	})

	windows := fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true}
	waitFor(t, "the first sweep", func() bool {
		for _, h := range sim.HostStates(windows) {
			if h.SSMOnline && (h.CommandsRun == 0 || h.ContainersLackingRoute > 0) {
				return false
			}
		}
		return true
	})
	host := sim.HostStates(windows)[0]
	if _, err := sim.StartTask(host.InstanceID, "web", false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new task's run", func() bool {
		h, _ := sim.HostState(host.InstanceID)
		return h.CommandsRun > host.CommandsRun && h.ContainersLackingRoute == 0
	})
}

// waitFor polls cond for up to a minute of wall time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within a minute", what)
		}
	}
}
