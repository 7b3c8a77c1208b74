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
// to (an offline SSM agent, a host whose commands fail), and the reboot
// halfway through breaks it again until the next round.
func TestDemoScenarioConverges(t *testing.T) {
	e := newEnv(t, "demo", fleetsim.Options{})
	createDocument(t, e)
	start := e.sim.FleetSummary()
	if start.WindowsHosts < 200 || start.ContainersLackingRoute == 0 || start.DeadProxies == 0 || start.Port80Tasks == 0 || start.WithoutTaskRoles == 0 {
		t.Fatalf("demo fleet lacks the drift it should show: %+v", start)
	}
	repairRound(t, e)
	stuck := len(e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true}))
	if stuck > 2 {
		t.Fatalf("%d hosts still drifted after a repair round, want at most the 2 built to resist", stuck)
	}
	e.clock.Step(30 * time.Second) // the scenario reboots 3 hosts at 30s
	if fired := e.sim.FiredEvents(); len(fired) != 1 || fired[0].Action != "reboot" {
		t.Fatalf("fired %+v", fired)
	}
	if got := len(e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})); got <= stuck {
		t.Fatalf("the reboot did not break hosts: %d drifted", got)
	}
	repairRound(t, e)
	if got := len(e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})); got != stuck {
		t.Fatalf("%d drifted after the second round, want %d", got, stuck)
	}
}
