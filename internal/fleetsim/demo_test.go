package fleetsim_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// repairRound sends an enforcing route-bootstrap to every drifted Windows
// host in batches of 50 and lets the commands finish.
func repairRound(t *testing.T, e *env) {
	t.Helper()
	drifted := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})
	for len(drifted) > 0 {
		n := min(50, len(drifted))
		if _, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
			DocumentName: aws.String(docName), InstanceIds: drifted[:n], Parameters: bootstrapParams(false),
			MaxErrors: aws.String("100%"), TimeoutSeconds: aws.Int32(60),
		}); err != nil {
			t.Fatal(err)
		}
		drifted = drifted[n:]
	}
	e.clock.Step(5 * time.Second)
}

// The demo fleet converges under repair except for the hosts built not
// to (an offline SSM agent, a host whose commands fail); the reboot near
// the middle and the deploy after it break it again until the next round.
func TestDemoScenarioConverges(t *testing.T) {
	e := newEnv(t, "demo", fleetsim.Options{})
	createDocument(t, e)
	start := e.sim.FleetSummary()
	if start.WindowsHosts < 200 || start.ContainersLackingRoute == 0 || start.DeadProxies == 0 || start.Port80Tasks == 0 || start.WithoutTaskRoles == 0 {
		t.Fatalf("demo fleet lacks the drift it should show: %+v", start)
	}
	repairRound(t, e)
	now := 5 * time.Second // repairRound steps the clock 5s
	stuck := len(e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}))
	if stuck > 2 {
		t.Fatalf("%d hosts still drifted after a repair round, want at most the 2 built to resist", stuck)
	}
	drifted := func() int { return len(e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})) }

	for _, step := range []struct {
		to     time.Duration // since the simulator's creation
		action string
		hosts  int
	}{
		{25 * time.Second, "reboot", 3},     // 3 prod-windows hosts reboot at 25s
		{37 * time.Second, "startTasks", 6}, // a deploy starts 6 legacy-windows tasks without the route at 37s
	} {
		e.clock.Step(step.to - now)
		fired := e.sim.FiredEvents()
		if len(fired) == 0 || fired[len(fired)-1].Action != step.action || len(fired[len(fired)-1].Instances) != step.hosts {
			t.Fatalf("at %s fired %+v, want %s on %d hosts last", step.to, fired, step.action, step.hosts)
		}
		if got := drifted(); got != stuck+step.hosts {
			t.Fatalf("after %s: %d drifted, want the %d stuck and the %d it touched", step.action, got, stuck, step.hosts)
		}
		repairRound(t, e)
		now = step.to + 5*time.Second
		if got := drifted(); got != stuck {
			t.Fatalf("%d drifted after repairing the %s, want %d", got, step.action, stuck)
		}
	}
	if got := len(e.sim.FiredEvents()); got != 2 {
		t.Errorf("%d events fired, want the scenario's 2", got)
	}
}
