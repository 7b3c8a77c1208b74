package controllers

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
	"github.com/ecswin/ecswin/internal/metrics"
	"github.com/ecswin/ecswin/internal/remediate"
	"github.com/ecswin/ecswin/internal/simtest"
	"github.com/ecswin/ecswin/internal/testenv"
)

// allDrifted is a fleet whose every Windows host lacks the route: more
// hosts than one SSM command takes (remediate.SendBatch) and than an
// event names.
const allDrifted = `
name: all-drifted
seed: 7
taskDefinitions:
- family: web
  taskRoleArn: arn:aws:iam::123456789012:role/web-task
  containers:
  - name: web
    portMappings: [{containerPort: 80}]
clusters:
- name: windows
  groups:
  - count: 64
    osFamily: WINDOWS_SERVER_2022_CORE
    taskRoleShare: 1
    taskEniShare: 1
    tasksPerInstance: 1
    taskMix: {web: 1}
    drift:
      containersWithoutRoute: 1
`

// remediateBatch is the most hosts one SSM command takes.
const remediateBatch = remediate.SendBatch

// eventHosts reads "... on N host(s): i-1, i-2 and M more; ..." from an
// event note.
var eventHosts = regexp.MustCompile(`on (\d+) host\(s\): ([^;]*?)(?: and (\d+) more)?(?:;|$)`)

// Events reach the API server through client-go's events.k8s.io
// recorder, which folds events of one reason about one object into a
// series whatever their notes (one host per event would keep only the
// first). After an Enforce pass that repairs every host of a fleet larger
// than one command, the Events read back from the API server name or
// count every repaired host, once, and add up to
// ecswin_remediation_repairs_total{result="succeeded"}.
func TestEventsCountEveryRepairedHost(t *testing.T) {
	sc, err := scenario.Parse([]byte(allDrifted))
	if err != nil {
		t.Fatal(err)
	}
	env := simtest.New(t, sc, simtest.Options{})
	hosts := env.Sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})
	clientset, err := kubernetes.NewForConfig(testenv.Global.Config)
	if err != nil {
		t.Fatal(err)
	}
	broadcaster := events.NewBroadcaster(&events.EventSinkImpl{Interface: clientset.EventsV1()})
	stop := make(chan struct{})
	broadcaster.StartRecordingToSink(stop)
	t.Cleanup(func() { close(stop); broadcaster.Shutdown() })
	h := &harness{env: env, events: &eventLog{}}
	h.r = NewFleetPolicyReconciler(FleetPolicyReconciler{
		Client:   testenv.Global.Client,
		Engine:   newEngine(env),
		Recorder: broadcaster.NewRecorder(testenv.Global.Scheme, ControllerName),
		Clock:    env.Clock,
	})
	p := h.createPolicy(t, ecswinv1alpha1.ModeEnforce)
	// Every host of a command at once: the commands sent together end
	// in the same pass, as events of one reason about one object at the
	// same resourceVersion, which is what client-go folds.
	p.Spec.Remediation.MaxConcurrency = remediateBatch
	if err := testenv.Global.Client.Update(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.runUntil(t, 60, converged); !converged(got) {
		t.Fatalf("not converged:\n%s", conditionsString(got))
	}
	repaired := int(seriesValue(t, env, p.Name, metrics.RepairSucceeded))
	if repaired != len(hosts) {
		t.Fatalf("ecswin_remediation_repairs_total{result=succeeded} = %d, want every one of the %d hosts", repaired, len(hosts))
	}

	// The recorder writes asynchronously: wait until the Events count
	// the repairs, or the deadline (then the checks below say what is
	// missing).
	collected := func(ctx context.Context) (bool, error) {
		var list eventsv1.EventList
		if err := testenv.Global.Client.List(ctx, &list, client.InNamespace(p.Namespace)); err != nil {
			return false, err
		}
		counted := 0
		for _, e := range list.Items {
			if e.Regarding.UID == p.UID && e.Reason == engine.EventRepairSucceeded {
				counted += hostsCounted(t, e.Note).total
			}
		}
		return counted >= repaired, nil
	}
	// Events outlive their object: only this policy's (by UID) count, not
	// those of an earlier run of the test under the same name.
	_ = wait.PollUntilContextTimeout(t.Context(), 50*time.Millisecond, managerDeadline, true, collected)
	var list eventsv1.EventList
	if err := testenv.Global.Client.List(t.Context(), &list, client.InNamespace(p.Namespace)); err != nil {
		t.Fatal(err)
	}
	named, counted, commands := map[string]int{}, 0, map[string]bool{}
	for _, e := range list.Items {
		if e.Regarding.UID != p.UID || e.Reason != engine.EventRepairSucceeded {
			continue
		}
		if e.Series != nil {
			t.Errorf("Event %s is a series of %d: client-go folded events of different facts together", e.Name, e.Series.Count)
		}
		if e.Related == nil || e.Related.Kind != "Command" || e.Related.Name == "" || commands[e.Related.Name] {
			t.Errorf("Event %s: related %+v, want its own SSM command", e.Name, e.Related)
		} else {
			commands[e.Related.Name] = true
		}
		hc := hostsCounted(t, e.Note)
		counted += hc.total
		for _, id := range hc.named {
			named[id]++
		}
		if len(hc.named) > ecswinv1alpha1.MaxListedIssues || len(hc.named)+hc.more != hc.total {
			t.Errorf("Event %s names %d host(s) and %d more of %d: %q", e.Name, len(hc.named), hc.more, hc.total, e.Note)
		}
	}
	if counted != repaired {
		t.Errorf("RepairSucceeded Events count %d host(s), ecswin_remediation_repairs_total{result=succeeded} %d", counted, repaired)
	}
	if len(commands) < 2 {
		t.Errorf("the repairs went out in %d command(s): the test wants more than one", len(commands))
	}
	for id, n := range named {
		if n != 1 {
			t.Errorf("%s named in %d Events", id, n)
		}
	}
	if len(named) >= len(hosts) {
		t.Errorf("every host named (%d): the test wants some summed up as \"and N more\"", len(named))
	}
}

type hostCount struct {
	named []string
	more  int
	total int
}

func hostsCounted(t *testing.T, note string) hostCount {
	t.Helper()
	m := eventHosts.FindStringSubmatch(note)
	if m == nil {
		t.Fatalf("event note %q does not count its hosts", note)
	}
	var hc hostCount
	hc.total, _ = strconv.Atoi(m[1])
	hc.more, _ = strconv.Atoi(m[3])
	for _, id := range strings.Split(m[2], ", ") {
		if id != "" {
			hc.named = append(hc.named, id)
		}
	}
	return hc
}

// seriesValue is ecswin_remediation_repairs_total of policy and result.
func seriesValue(t *testing.T, env *simtest.Env, policy, result string) float64 {
	t.Helper()
	mfs, err := env.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != metrics.Namespace+"_remediation_repairs_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels[metrics.LabelPolicy] == policy && labels[metrics.LabelResult] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no ecswin_remediation_repairs_total{policy=%q, result=%q}", policy, result)
	return 0
}
