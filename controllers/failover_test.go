package controllers

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

// countingEngine counts the passes one manager's engine runs.
type countingEngine struct {
	*engine.Engine
	passes atomic.Int32
}

func (c *countingEngine) Pass(ctx context.Context, ref engine.PolicyRef, spec ecswinv1alpha1.FleetPolicySpec) (engine.Result, error) {
	c.passes.Add(1)
	return c.Engine.Pass(ctx, ref, spec)
}

// replica is one manager process: leader election on, its own engine.
type replica struct {
	mgr    ctrl.Manager
	engine *countingEngine
	stop   func()
}

// startReplica starts a manager that competes for the lease id, with an
// engine that polls SSM every 100 ms (the fake clock runs fast).
func startReplica(t *testing.T, h *harness, id string) *replica {
	t.Helper()
	skip := true
	lease, renew, retry := 2*time.Second, time.Second, 100*time.Millisecond
	mgr, err := ctrl.NewManager(testenv.Global.Config, ctrl.Options{
		Scheme:                        testenv.Global.Scheme,
		Metrics:                       metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress:        "0",
		Controller:                    config.Controller{SkipNameValidation: &skip},
		LeaderElection:                true,
		LeaderElectionID:              id,
		LeaderElectionNamespace:       "default",
		LeaderElectionReleaseOnCancel: true,
		LeaseDuration:                 &lease,
		RenewDeadline:                 &renew,
		RetryPeriod:                   &retry,
	})
	if err != nil {
		t.Fatal(err)
	}
	eng := &countingEngine{Engine: engine.New(engine.Deps{Clients: h.env.Clients, Clock: h.env.Clock, Metrics: h.env.Metrics,
		BootstrapSHA256: simtest.BootstrapSHA256, PollInterval: 100 * time.Millisecond})}
	if err := SetupWithManager(mgr, Options{Engine: eng, Clock: h.env.Clock}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	r := &replica{mgr: mgr, engine: eng}
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	}
	t.Cleanup(r.stop)
	return r
}

// A leader failover between two managers sends no command twice: the new
// leader learns from SSM both the command the old one left running and
// the runs it had already read, so it sends nothing to a host that is not
// due.
func TestLeaderFailoverSendsNoDuplicateCommand(t *testing.T) {
	h := newHarness(t, simtest.Options{})
	ctx := t.Context()
	// The fake clock runs at 100 times real time while the managers run.
	ticking, stopTicking := context.WithCancel(ctx)
	defer stopTicking()
	go func() {
		for ticking.Err() == nil {
			time.Sleep(10 * time.Millisecond)
			h.env.Clock.Step(time.Second)
		}
	}()
	sendCommands := func() int { return h.env.Sim.Calls().Get("ssm", "SendCommand").Calls }
	poll := func(what string, cond func() bool) {
		t.Helper()
		err := wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, managerDeadline, true, func(context.Context) (bool, error) { return cond(), nil })
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, conditionsString(h.get(t)))
		}
	}

	id := "ecswin-failover-" + time.Now().Format("150405.000000")
	a := startReplica(t, h, id)
	<-a.mgr.Elected()
	b := startReplica(t, h, id) // waits for the lease
	h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	poll("the first leader converges", func() bool { return converged(h.get(t)) })
	if b.engine.passes.Load() != 0 {
		t.Fatalf("the replica that is not the leader ran %d pass(es)", b.engine.passes.Load())
	}
	firstWave := sendCommands()

	// A host starts a task without the route; the leader sends it a run
	// that is still going when the leader stops.
	h.env.Sim.SetSSMTiming(fleetsim.SSMTiming{Delivery: time.Second, Execution: 10 * time.Minute})
	victim := h.env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[0]
	if _, err := h.env.Sim.StartTask(victim, "web", false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // 50 s on the fake clock: the next inventory is due
	changed := h.get(t)
	changed.Spec.Port80.ExemptFamilies = []string{"not-a-family"} // a new generation: reconciled at once
	if err := testenv.Global.Client.Update(ctx, changed); err != nil {
		t.Fatal(err)
	}
	poll("the leader sends the broken host a run", func() bool { return sendCommands() == firstWave+1 })
	a.stop()

	poll("the second manager takes over and reads the run to its end", func() bool {
		st, _ := h.env.Sim.HostState(victim)
		return b.engine.passes.Load() > 0 && st.ContainersLackingRoute == 0 && converged(h.get(t))
	})
	// The next inventory after the takeover finds nothing due either.
	time.Sleep(500 * time.Millisecond)
	n := b.engine.passes.Load()
	changed = h.get(t)
	changed.Spec.Port80.ExemptFamilies = nil
	if err := testenv.Global.Client.Update(ctx, changed); err != nil {
		t.Fatal(err)
	}
	poll("the new leader reconciles the change", func() bool {
		got := h.get(t)
		return b.engine.passes.Load() > n && got.Status.ObservedGeneration == got.Generation
	})
	if got := sendCommands(); got != firstWave+1 {
		t.Errorf("the new leader sent %d command(s); every host was verified or in flight", got-firstWave-1)
	}
	for _, hs := range h.env.Sim.HostStates(fleetsim.InstanceFilter{WindowsOnly: true}) {
		want := 1
		if hs.InstanceID == victim {
			want = 2
		}
		if hs.SSMOnline && hs.CommandsRun != want {
			t.Errorf("host %s ran %d command(s), want %d", hs.InstanceID, hs.CommandsRun, want)
		}
	}
}
