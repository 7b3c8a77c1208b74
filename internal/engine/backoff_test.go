package engine_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simtest"
)

// backoffSpec is an Enforce policy whose retry interval is 3m (three
// inventories of 1m) and whose reverify period is 2h.
func backoffSpec(t *testing.T, env *simtest.Env) v1alpha1.FleetPolicySpec {
	spec := env.Spec(t, v1alpha1.ModeEnforce)
	spec.Intervals.Inventory = metav1.Duration{Duration: time.Minute}
	spec.Intervals.Reverify = metav1.Duration{Duration: 2 * time.Hour}
	return spec
}

// runsOn passes the engine until the clock reaches until, and returns
// when each run on host ended (the simulator's count of runs went up),
// calling each (if set) with every result.
func runsOn(t *testing.T, env *simtest.Env, eng *engine.Engine, spec v1alpha1.FleetPolicySpec, host string, until time.Time, each func(engine.Result)) []time.Time {
	t.Helper()
	var at []time.Time
	st, _ := env.Sim.HostState(host)
	seen := st.CommandsRun
	for env.Clock.Now().Before(until) {
		res, err := eng.Pass(t.Context(), policy, spec)
		if err != nil {
			t.Fatalf("pass at %s: %v", env.Clock.Now(), err)
		}
		if each != nil {
			each(res)
		}
		st, _ := env.Sim.HostState(host)
		for ; seen < st.CommandsRun; seen++ {
			at = append(at, env.Clock.Now())
		}
		env.Clock.Step(res.RequeueAfter)
	}
	return at
}

// gaps are the times between consecutive runs.
func gaps(at []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(at); i++ {
		out = append(out, at[i].Sub(at[i-1]))
	}
	return out
}

// A host whose runs never take is retried after 3m, 6m, 12m... up to the
// reverify period, not every 3m: over a simulated day it gets 17 runs or
// so where it got 480, and it is listed for an operator.
func TestBackoffGrowsToReverify(t *testing.T) {
	env, spec, host := stalledHost(t)
	eng := newEngine(env)
	start := env.Clock.Now()
	var last engine.Result
	at := runsOn(t, env, eng, spec, host, start.Add(24*time.Hour), func(r engine.Result) { last = r })

	base, reverify := 3*time.Minute, spec.Intervals.Reverify.Duration
	// A retry goes out at the first pass after it is due: passes come
	// at least every inventory interval, and a run takes a few seconds.
	slack := spec.Intervals.Inventory.Duration + time.Minute
	want := base
	for i, g := range gaps(at) {
		if g < want || g > want+slack {
			t.Errorf("run %d came %s after the one before, want %s (to %s)", i+1, g, want, want+slack)
		}
		want = min(2*want, reverify)
	}
	// 3+6+12+24+48+96 minutes, then every 2h: 7 runs in the first 189
	// minutes, 10 in the rest of the day.
	if n := len(at); n < 15 || n > 19 {
		t.Errorf("%d runs in a day on a host whose runs never take, want about 17 (480 without a back-off)", n)
	}
	if !hasHostIssue(last, host, audit.ReasonRepairNotTaking) {
		t.Errorf("host %s is not listed with %s: %+v", host, audit.ReasonRepairNotTaking, last.HostIssues)
	}
	t.Logf("%d runs in 24h; gaps %v", len(at), gaps(at))
}

// A host that is busy (another route-bootstrap run holds its lock) was
// not repaired and did not fail: it is retried every retry interval,
// never with a growing back-off, and never listed as not taking.
func TestHostBusyDoesNotBackOff(t *testing.T) {
	env := smallEnv(t)
	spec := backoffSpec(t, env)
	host := env.Sim.Instances(simWindows)[0]
	release, err := env.Sim.HostOS(host).AcquireRun(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	eng := newEngine(env)
	var last engine.Result
	at := runsOn(t, env, eng, spec, host, env.Clock.Now().Add(2*time.Hour), func(r engine.Result) { last = r })

	base := 3 * time.Minute
	for i, g := range gaps(at) {
		if g > base+2*time.Minute {
			t.Errorf("run %d on the busy host came %s after the one before, want about %s", i+1, g, base)
		}
	}
	if len(at) < 25 {
		t.Errorf("%d runs in 2h on a busy host, want one every 3m or so", len(at))
	}
	if hasHostIssue(last, host, audit.ReasonRepairNotTaking) {
		t.Errorf("busy host %s is listed with %s", host, audit.ReasonRepairNotTaking)
	}
	if !hasHostIssue(last, host, audit.ReasonHostBusy) {
		t.Errorf("busy host %s is not listed with %s: %+v", host, audit.ReasonHostBusy, last.HostIssues)
	}
}

func hasHostIssue(res engine.Result, host, reason string) bool {
	for _, h := range res.HostIssues {
		if h.InstanceID == host && h.Reason == reason {
			return true
		}
	}
	return false
}

// sentCommands lists every command SSM holds that ran on host, with its
// repairProxy parameter, oldest first.
func sentCommands(t *testing.T, env *simtest.Env, spec v1alpha1.FleetPolicySpec, host string) []bool {
	t.Helper()
	api, err := env.Clients.ClientsFor(t.Context(), awsapi.SettingsFor(policy.String(), spec.AWS))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []ssmtypes.Command
	pages := ssm.NewListCommandsPaginator(api.SSM, &ssm.ListCommandsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Commands {
			if slices.Contains(c.InstanceIds, host) {
				cmds = append(cmds, c)
			}
		}
	}
	slices.SortFunc(cmds, func(a, b ssmtypes.Command) int { return a.RequestedDateTime.Compare(*b.RequestedDateTime) })
	out := make([]bool, len(cmds))
	for i, c := range cmds {
		out[i] = slices.Equal(c.Parameters["repairProxy"], []string{"true"})
	}
	return out
}

// Two proxy repairs that do not take among ten hosts do not trip the
// breaker (minFailed 3); each host backs off, and a NAT-mode task that
// starts on one during its back-off gets its route at once, from a run
// that leaves the proxy alone.
func TestBreakerNeedsMinFailedAndNewTasksSkipProxyRepair(t *testing.T) {
	env, spec, hosts := uncreatableProxies(t, 2)
	eng := newEngine(env)
	res := run(t, env, eng, policy, spec, 30, settled)
	if c := res.Condition(v1alpha1.ConditionProxyRepairHealthy); c.Status != metav1.ConditionTrue || !strings.Contains(c.Message, "2 of the 3 host(s)") {
		t.Fatalf("ProxyRepairHealthy = %+v, want True with 2 of 3 failed (the scenario's dead proxy repaired)", c)
	}
	if got := seriesSum(t, env.Registry, proxyRepairSuspendedGauge, nil); got != 0 {
		t.Errorf("%s = %v with the breaker closed, want 0", proxyRepairSuspendedGauge, got)
	}
	if got := sentCommands(t, env, spec, hosts[0]); !slices.Equal(got, []bool{true}) {
		t.Fatalf("commands to %s repairing the proxy: %v, want one that did", hosts[0], got)
	}
	// One minute on: the 3m retry is not due, but a new task is.
	env.Clock.Step(time.Minute)
	if _, err := env.Sim.StartTask(hosts[0], "web", false); err != nil {
		t.Fatal(err)
	}
	res = run(t, env, eng, policy, spec, 30, func(r engine.Result) bool { return settled(r) && r.HostsTargeted == 0 && r.Counts.RepairsInFlight == 0 })
	if got := sentCommands(t, env, spec, hosts[0]); !slices.Equal(got, []bool{true, false}) {
		t.Errorf("commands to %s by repairProxy: %v, want the first repairing the proxy and the new task's run not", hosts[0], got)
	}
	if n := env.Sim.HostOS(hosts[0]).ContainersLackingRoute(); n != 0 {
		t.Errorf("%d container(s) on %s lack the route after the new task's run", n, hosts[0])
	}
	if c := res.Condition(v1alpha1.ConditionProxyRepairHealthy); c.Status != metav1.ConditionTrue {
		t.Errorf("ProxyRepairHealthy = %+v, want True", c)
	}
}

// Past the share (six of seven proxy repairs fail to take), proxy repair
// stops for the policy with a condition and one Warning Event; a proxy
// that breaks later is reported, not repaired, for hours, until an
// operator resets the breaker; a spec change resets it too.
func TestBreakerTripsAndStaysUntilCleared(t *testing.T) {
	env, spec, hosts := uncreatableProxies(t, 6)
	eng := newEngine(env)
	suspended, resumed := 0, 0
	count := func(r engine.Result) {
		for _, e := range r.Events {
			switch e.Reason {
			case engine.EventProxyRepairSuspended:
				suspended++
				if e.Type != engine.EventWarning || !strings.Contains(e.Message, engine.AnnotationResetBreaker) {
					t.Errorf("event %+v: want a Warning naming %s", e, engine.AnnotationResetBreaker)
				}
			case engine.EventProxyRepairResumed:
				resumed++
			}
		}
	}
	passes := func(d time.Duration) engine.Result {
		var last engine.Result
		runsOn(t, env, eng, spec, hosts[0], env.Clock.Now().Add(d), func(r engine.Result) { count(r); last = r })
		return last
	}
	res := passes(10 * time.Minute)
	c := res.Condition(v1alpha1.ConditionProxyRepairHealthy)
	if c.Status != metav1.ConditionFalse || c.Reason != v1alpha1.ReasonProxyRepairSuspended || !strings.Contains(c.Message, "6 of the 7 host(s)") {
		t.Fatalf("ProxyRepairHealthy = %+v, want False/%s with 6 of 7", c, v1alpha1.ReasonProxyRepairSuspended)
	}
	if suspended != 1 {
		t.Errorf("%d %s events, want 1", suspended, engine.EventProxyRepairSuspended)
	}
	if got := seriesSum(t, env.Registry, proxyRepairSuspendedGauge, nil); got != 1 {
		t.Errorf("%s = %v with the breaker open, want 1", proxyRepairSuspendedGauge, got)
	}

	// A proxy a repair would fix breaks now: it is reported, not
	// repaired, through the reverify runs of the next three hours.
	late := hosts[6]
	breakProxies(t, env, []string{late}, memos.ProxyRuleMissing)
	res = passes(3 * time.Hour)
	if env.Sim.HostOS(late).ProxyHealthy() {
		t.Errorf("the breaker is open, yet %s's proxy was repaired", late)
	}
	if got := sentCommands(t, env, spec, late); len(got) < 2 || slices.Contains(got[1:], true) {
		t.Errorf("commands to %s by repairProxy: %v, want reverify runs that leave the proxy alone", late, got)
	}
	if c := res.Condition(v1alpha1.ConditionProxyRepairHealthy); c.Reason != v1alpha1.ReasonProxyRepairSuspended {
		t.Errorf("ProxyRepairHealthy = %+v after 3h, want still suspended", c)
	}
	if !hasHostIssue(res, late, audit.ReasonProxyBroken) {
		t.Errorf("%s is not listed with %s: %+v", late, audit.ReasonProxyBroken, res.HostIssues)
	}
	if suspended != 1 || resumed != 0 {
		t.Errorf("%d suspended and %d resumed events while open, want 1 and 0", suspended, resumed)
	}

	// The operator resets: the first value seen is only remembered, a
	// new one closes the breaker; the late host is repaired, and the six
	// that still cannot be trip it again.
	eng.Breaker(policy, engine.BreakerInput{ResetToken: "1"})
	eng.Breaker(policy, engine.BreakerInput{ResetToken: "1"})
	res = passes(time.Minute)
	if resumed != 0 {
		t.Fatalf("the first reset value seen closed the breaker")
	}
	eng.Breaker(policy, engine.BreakerInput{ResetToken: "2"})
	res = passes(10 * time.Minute)
	if !env.Sim.HostOS(late).ProxyHealthy() {
		t.Errorf("after the reset, %s's proxy was not repaired", late)
	}
	if resumed != 1 || suspended != 2 {
		t.Errorf("%d resumed and %d suspended events after the reset, want 1 and 2", resumed, suspended)
	}

	// A spec change resets it too.
	spec.Remediation.MaxInFlight--
	passes(time.Minute)
	if resumed != 2 {
		t.Errorf("%d resumed events after a spec change, want 2", resumed)
	}
}

// proxyRepairSuspendedGauge says whether a policy's breaker is open.
const proxyRepairSuspendedGauge = "ecswin_remediation_proxy_repair_suspended"

// healthyProxyHosts are the Windows hosts whose proxy works (the small
// scenario has one dead proxy, which a repair brings back).
func healthyProxyHosts(env *simtest.Env) []string {
	var out []string
	for _, h := range env.Sim.Instances(simWindows) {
		if env.Sim.HostOS(h).ProxyHealthy() {
			out = append(out, h)
		}
	}
	return out
}

// A restart rebuilds a stalled host's back-off from SSM's history: the
// new engine goes on retrying it every reverify period, not at 3m, 6m,
// 12m... again, and lists it as not taking at once.
func TestBackoffSurvivesARestart(t *testing.T) {
	env, spec, host := stalledHost(t)
	before := runsOn(t, env, newEngine(env), spec, host, env.Clock.Now().Add(8*time.Hour), nil)
	restarted := newEngine(env)
	listings := env.Sim.Calls().Get("ssm", "ListCommandInvocations").Calls
	res, err := restarted.Pass(t.Context(), policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the restart's pass listed the invocations of %d command(s)", env.Sim.Calls().Get("ssm", "ListCommandInvocations").Calls-listings)
	if !hasHostIssue(res, host, audit.ReasonRepairNotTaking) {
		t.Errorf("after the restart %s is not listed with %s: %+v", host, audit.ReasonRepairNotTaking, res.HostIssues)
	}
	env.Clock.Step(res.RequeueAfter)
	after := runsOn(t, env, restarted, spec, host, env.Clock.Now().Add(6*time.Hour), nil)
	reverify := spec.Intervals.Reverify.Duration
	all := append(before[len(before)-1:], after...)
	for i, g := range gaps(all) {
		if g < reverify {
			t.Errorf("run %d after the restart came %s after the one before, want the reverify period %s", i+1, g, reverify)
		}
	}
	if len(after) > 3 {
		t.Errorf("%d runs in the 6h after the restart, want 3 at most (one per 2h)", len(after))
	}
}

// Without the adapter's help (ecswinctl), a restart finds the breaker's
// evidence in SSM's history: the proxy repairs that did not take, behind
// the runs that held proxy repair back since. It trips again at once and
// repairs no proxy.
func TestBreakerRebuiltFromHistoryAfterARestart(t *testing.T) {
	env, spec, hosts := uncreatableProxies(t, 6)
	runsOn(t, env, newEngine(env), spec, hosts[0], env.Clock.Now().Add(5*time.Hour), nil)
	restarted := newEngine(env)
	res, err := restarted.Pass(t.Context(), policy, spec)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Condition(v1alpha1.ConditionProxyRepairHealthy); c.Reason != v1alpha1.ReasonProxyRepairSuspended {
		t.Fatalf("after a restart ProxyRepairHealthy = %+v, want suspended", c)
	}
	env.Clock.Step(res.RequeueAfter)
	runsOn(t, env, restarted, spec, hosts[0], env.Clock.Now().Add(3*time.Hour), nil)
	if got := sentCommands(t, env, spec, hosts[0]); len(got) < 3 || slices.Contains(got[1:], true) {
		t.Errorf("commands to %s by repairProxy: %v, want one repair, then none", hosts[0], got)
	}
}

// stalledHost is the small fleet under backoffSpec with one Windows host
// whose runs always fail.
func stalledHost(t *testing.T) (*simtest.Env, v1alpha1.FleetPolicySpec, string) {
	t.Helper()
	env := smallEnv(t)
	host := env.Sim.Instances(simWindows)[0]
	if err := env.Sim.SetCommandBehavior(host, fleetsim.BehaveFail); err != nil {
		t.Fatal(err)
	}
	return env, backoffSpec(t, env), host
}

// breakProxies breaks the hosts' proxies with fault.
func breakProxies(t *testing.T, env *simtest.Env, hosts []string, fault memos.ProxyFault) {
	t.Helper()
	for _, h := range hosts {
		if err := env.Sim.BreakProxy(h, fault); err != nil {
			t.Fatal(err)
		}
	}
}

// uncreatableProxies is the small fleet under backoffSpec with n hosts'
// proxies broken beyond repair (ProxyAdapterUncreatable), and the hosts
// whose proxies worked, those n first.
func uncreatableProxies(t *testing.T, n int) (*simtest.Env, v1alpha1.FleetPolicySpec, []string) {
	t.Helper()
	env := smallEnv(t)
	hosts := healthyProxyHosts(env)
	breakProxies(t, env, hosts[:n], memos.ProxyAdapterUncreatable)
	return env, backoffSpec(t, env), hosts
}
