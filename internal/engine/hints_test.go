package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/events"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// scriptedHints is an event queue whose hints the test hands over, as
// the events package's Hub would after reading them.
type scriptedHints struct {
	mu      sync.Mutex
	state   string
	pending events.Batch
	readyAt time.Time
	ensured []events.Config
	forgot  []string
}

func (s *scriptedHints) Ensure(_ string, cfg events.Config) events.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensured = append(s.ensured, cfg)
	return events.Status{State: s.state}
}

func (s *scriptedHints) Forget(policy string) { s.forgot = append(s.forgot, policy) }

func (s *scriptedHints) Take(string, time.Time) events.Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.pending
	s.pending = events.Batch{}
	return b
}

func (s *scriptedHints) ReadyAt(string) (time.Time, bool) { return s.readyAt, !s.readyAt.IsZero() }

func (s *scriptedHints) Status(string) events.Status { return events.Status{State: s.state} }

func (s *scriptedHints) hand(b events.Batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = b
}

// eventsWorld is an Enforce policy with an event queue over the small
// fleet, converged, whose inventory (an hour) and reverify (six hours)
// stay out of the way: whatever runs next, an event made due.
type eventsWorld struct {
	env   *simtest.Env
	eng   *engine.Engine
	hints *scriptedHints
	spec  v1alpha1.FleetPolicySpec
}

func newEventsWorld(t *testing.T) *eventsWorld {
	t.Helper()
	env := smallEnv(t)
	hints := &scriptedHints{state: events.StateReceiving}
	eng := engine.New(engine.Deps{Clients: env.Clients, Clock: env.Clock, Metrics: env.Metrics, BootstrapSHA256: simtest.BootstrapSHA256, Hints: hints})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Events = &v1alpha1.EventsSpec{QueueURL: env.URL + "/123456789012/ecswin-events"}
	spec.Intervals.Inventory.Duration, spec.Intervals.Reverify.Duration = time.Hour, 6*time.Hour
	w := &eventsWorld{env: env, eng: eng, hints: hints, spec: spec}
	// Without status events the first sweep's commands are read at the
	// fallback, a minute apart.
	if res := w.passes(t, 30, converged); !converged(res) {
		t.Fatalf("the first sweep did not converge: %+v", res.Counts)
	}
	return w
}

// passes runs passes at the requeues they ask, up to n or until stop.
func (w *eventsWorld) passes(t *testing.T, n int, stop func(engine.Result) bool) engine.Result {
	t.Helper()
	return run(t, w.env, w.eng, policy, w.spec, n, stop)
}

func (w *eventsWorld) pass(t *testing.T) engine.Result {
	t.Helper()
	res, err := w.eng.Pass(context.Background(), policy, w.spec)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func windowsHost(t *testing.T, env *simtest.Env, i int) fleetsim.HostState {
	t.Helper()
	hosts := env.Sim.HostStates(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})
	if len(hosts) <= i {
		t.Fatalf("%d Windows hosts", len(hosts))
	}
	return hosts[i]
}

// The pass hands the policy's queue and scope to the events, and the
// engine forgets them with the policy.
func TestHintsFollowThePolicy(t *testing.T) {
	w := newEventsWorld(t)
	cfg := w.hints.ensured[len(w.hints.ensured)-1]
	if cfg.Settings.EventQueueURL != w.spec.Events.QueueURL || cfg.Scope.Region != w.spec.AWS.Region ||
		len(cfg.Scope.Clusters) != len(w.spec.Clusters) || cfg.Scope.Document != w.spec.Remediation.DocumentName {
		t.Fatalf("ensured %+v", cfg)
	}
	w.eng.Forget(policy)
	if len(w.hints.forgot) != 1 || w.hints.forgot[0] != policy.String() {
		t.Fatalf("forgot %v", w.hints.forgot)
	}
}

// A task that started without the route on a host is fixed from its
// event, without an inventory, and only that host gets a run.
func TestNewTaskEventMakesItsHostDue(t *testing.T) {
	w := newEventsWorld(t)
	host, other := windowsHost(t, w.env, 0), windowsHost(t, w.env, 1)
	if _, err := w.env.Sim.StartTask(host.InstanceID, "web", false); err != nil {
		t.Fatal(err)
	}
	if res := w.pass(t); res.CommandsSent != 0 {
		t.Fatalf("a pass sent %d command(s) before any event", res.CommandsSent)
	}
	w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN,
		NewTasks: []events.Task{{ARN: "arn:aws:ecs:us-east-1:123456789012:task/windows/new"}}, First: w.env.Clock.Now()}}})
	res := w.pass(t)
	if res.Inventoried || res.CommandsSent != 1 || res.HostsTargeted != 1 {
		t.Fatalf("the hinted pass: inventoried %t, %d command(s) to %d host(s)", res.Inventoried, res.CommandsSent, res.HostsTargeted)
	}
	w.env.Clock.Step(time.Minute) // the fallback poll reads it
	w.passes(t, 5, settled)
	if h, _ := w.env.Sim.HostState(host.InstanceID); h.ContainersLackingRoute != 0 || h.CommandsRun != host.CommandsRun+1 {
		t.Errorf("hinted host: %+v", h)
	}
	if h, _ := w.env.Sim.HostState(other.InstanceID); h.CommandsRun != other.CommandsRun {
		t.Errorf("another host got %d run(s)", h.CommandsRun-other.CommandsRun)
	}
	// An event older than the host's last run asks for nothing.
	w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN, CheckProxy: true, First: res.At.Add(-time.Second)}}})
	if res := w.pass(t); res.CommandsSent != 0 {
		t.Errorf("an event older than the host's last run sent %d command(s)", res.CommandsSent)
	}
}

// A reconnected agent (a reboot) gets its host a proxy check, which
// repairs a dead proxy.
func TestReconnectGetsAProxyCheck(t *testing.T) {
	w := newEventsWorld(t)
	host := windowsHost(t, w.env, 0)
	if err := w.env.Sim.BreakProxy(host.InstanceID, memos.ProxyAddressNotUp); err != nil {
		t.Fatal(err)
	}
	w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN, InstanceID: host.InstanceID, CheckProxy: true, First: w.env.Clock.Now()}}})
	if res := w.pass(t); res.CommandsSent != 1 {
		t.Fatalf("%d command(s) for the reconnected host", res.CommandsSent)
	}
	w.env.Clock.Step(time.Minute)
	w.passes(t, 5, settled)
	if h, _ := w.env.Sim.HostState(host.InstanceID); !h.ProxyHealthy {
		t.Errorf("the proxy is still down: %+v", h)
	}
}

// A task whose definition the inventory knows needs no route (the small
// fleet's awsvpc family) makes no host due; one it does not know does.
func TestNewTaskWithoutNATContainersIsNoHint(t *testing.T) {
	w := newEventsWorld(t)
	host := windowsHost(t, w.env, 0)
	for _, tc := range []struct {
		def  string
		runs int
	}{
		{"arn:aws:ecs:us-east-1:123456789012:task-definition/vpc:1", 0},
		{"arn:aws:ecs:us-east-1:123456789012:task-definition/unknown:1", 1},
	} {
		w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN,
			NewTasks: []events.Task{{TaskDefinitionARN: tc.def}}, First: w.env.Clock.Now()}}})
		if res := w.pass(t); res.CommandsSent != tc.runs {
			t.Errorf("a new task of %s sent %d command(s), want %d", tc.def, res.CommandsSent, tc.runs)
		}
	}
}

// While status events arrive, a command in flight is read when its
// event comes, not every poll interval; the fallback reads it a minute
// after it was sent.
func TestInvocationEventsReplacePolling(t *testing.T) {
	w := newEventsWorld(t)
	host := windowsHost(t, w.env, 0)
	w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN, CheckProxy: true, First: w.env.Clock.Now()}}})
	res := w.pass(t)
	if res.CommandsSent != 1 || res.RequeueAfter != time.Minute {
		t.Fatalf("sent %d, requeue %s: want one command and the minute's fallback", res.CommandsSent, res.RequeueAfter)
	}
	w.env.Clock.Step(20 * time.Second) // the run is over in the simulator
	before := w.env.Sim.Calls().Total("ssm").Calls
	if res := w.pass(t); res.Counts.RepairsInFlight != 1 || w.env.Sim.Calls().Total("ssm").Calls != before {
		t.Fatalf("without an event: %d in flight, %d SSM call(s)", res.Counts.RepairsInFlight, w.env.Sim.Calls().Total("ssm").Calls-before)
	}
	w.hints.hand(events.Batch{Invocations: []events.Hint{{Kind: events.InvocationReady, CommandID: commandOf(t, w, host.InstanceID), InstanceID: host.InstanceID, Status: "Success"}}})
	if res := w.pass(t); res.Counts.RepairsInFlight != 0 {
		t.Fatalf("the status event's pass left %d in flight", res.Counts.RepairsInFlight)
	}

	// Polling alone (the queue failing): read at the poll interval.
	w.hints.state = events.StateFailing
	w.hints.hand(events.Batch{Hosts: []events.HostHint{{ContainerInstanceARN: host.ContainerInstanceARN, CheckProxy: true, First: w.env.Clock.Now()}}})
	if res := w.pass(t); res.CommandsSent != 1 || res.RequeueAfter != engine.DefaultPollInterval {
		t.Fatalf("polling alone: sent %d, requeue %s", res.CommandsSent, res.RequeueAfter)
	}
}

// A placement failure for host ports reads the fleet now, so the R6
// finding of the service's task definition comes without waiting for the
// inventory.
func TestPlacementFailureReadsTheFleetNow(t *testing.T) {
	w := newEventsWorld(t)
	if res := w.pass(t); res.Inventoried {
		t.Fatal("an inventory was due anyway")
	}
	w.hints.hand(events.Batch{TaskDefinitions: []events.Hint{{Kind: events.TaskDefinitionDue, ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/windows/web"}}})
	if res := w.pass(t); !res.Inventoried {
		t.Fatal("the placement failure's pass did not read the fleet")
	}
	if res := w.pass(t); res.Inventoried {
		t.Fatal("the next pass read the fleet again")
	}
}

// The next debounced batch bounds the requeue.
func TestReadyHintsBoundTheRequeue(t *testing.T) {
	w := newEventsWorld(t)
	w.hints.readyAt = w.env.Clock.Now().Add(3 * time.Second)
	if res := w.pass(t); res.RequeueAfter != 3*time.Second {
		t.Fatalf("requeue %s, want the batch's 3s", res.RequeueAfter)
	}
}

// A queue on a host the operator's trust does not allow refuses the
// policy, naming the field and the flag, before any call.
func TestUntrustedQueueRefusesThePolicy(t *testing.T) {
	env := smallEnvWith(t, simtest.Options{Trust: &awsapi.Trust{}})
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.AWS.Endpoints = nil
	spec.Events = &v1alpha1.EventsSpec{QueueURL: env.URL + "/123456789012/ecswin-events"}
	hints := &scriptedHints{state: events.StateReceiving}
	eng := engine.New(engine.Deps{Clients: env.Clients, Clock: env.Clock, BootstrapSHA256: simtest.BootstrapSHA256, Hints: hints})
	res, err := eng.Pass(context.Background(), policy, spec)
	if !errors.Is(err, engine.ErrRefused) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	requireAllConditions(t, res, v1alpha1.ReasonEndpointNotAllowed, "spec.events.queueURL", awsapi.FlagAllowEndpointOverrides)
	if n := env.CallsTotal(); n != 0 || len(hints.ensured) != 0 {
		t.Errorf("the refused policy made %d call(s) and started %d feed(s)", n, len(hints.ensured))
	}
}

// commandOf is the ID of the last command SSM has for the instance.
func commandOf(t *testing.T, w *eventsWorld, instanceID string) string {
	t.Helper()
	cl, err := w.env.Clients.ClientsFor(context.Background(), awsapi.SettingsFor(policy.String(), w.spec.AWS))
	if err != nil {
		t.Fatal(err)
	}
	out, err := cl.SSM.ListCommands(context.Background(), &ssm.ListCommandsInput{InstanceId: aws.String(instanceID)})
	if err != nil || len(out.Commands) == 0 {
		t.Fatalf("listing the host's commands: %v (%d)", err, len(out.Commands))
	}
	newest := out.Commands[0]
	for _, c := range out.Commands {
		if aws.ToTime(c.RequestedDateTime).After(aws.ToTime(newest.RequestedDateTime)) {
			newest = c
		}
	}
	return aws.ToString(newest.CommandId)
}
