package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// watchEvery is how often the demo looks at the policy and its Events.
const watchEvery = 2 * time.Second

// eventColumns are what the demo shows of each Event, oldest first.
const eventColumns = "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message"

// watch shows the policy's row whenever it changes and each new Event,
// with the simulator's scheduled incidents as they happen, until the
// fleet settles after the last of them; then kubectl describe.
func (d *demo) watch(ctx context.Context) error {
	lastIncident := time.Duration(0)
	for _, e := range d.sim.Scenario().Events {
		lastIncident = max(lastIncident, time.Duration(e.After))
	}
	var (
		lastRow  string
		seen     = map[string]bool{}
		fired    int
		settledN int
	)
	deadline := time.Now().Add(d.opts.limit)
	fmt.Fprintf(d.out, "\nwatching (every %s) with kubectl get fleetpolicies and kubectl get events, until the fleet settles:\n", watchEvery)
	for {
		if err := d.managerExited(); err != nil {
			return err
		}
		for _, f := range d.sim.FiredEvents()[fired:] {
			d.say("⚡ simulator: %s on %d host(s): %s", f.Action, len(f.Instances), incidentEffect[f.Action])
			fired++
		}
		row, err := d.env.Kubectl(nil, "get", "fleetpolicies", "-o", "wide")
		if err != nil {
			return err
		}
		if r := withoutTimes(string(row)); r != lastRow {
			lastRow = r
			fmt.Fprintf(d.out, "\n$ kubectl get fleetpolicies -o wide\n%s\n", strings.TrimRight(string(row), "\n"))
		}
		if err := d.newEvents(seen); err != nil {
			return err
		}

		var p v1alpha1.FleetPolicy
		if err := d.env.Client.Get(ctx, client.ObjectKey{Name: policyName}, &p); err != nil {
			return err
		}
		if time.Since(d.start) > lastIncident && fired == len(d.sim.Scenario().Events) && settled(&p) {
			settledN++
		} else {
			settledN = 0
		}
		// Twice in a row, an inventory apart: a fleet that stays healthy.
		if settledN*int(watchEvery) > int(demoInventory) {
			break
		}
		if time.Now().After(deadline) {
			d.say("the fleet has not settled after %s; stopping anyway", d.opts.limit)
			break
		}
		select {
		case <-ctx.Done():
			d.say("interrupted")
			return nil
		case <-time.After(watchEvery):
		}
	}
	out, err := d.env.Kubectl(nil, "describe", "fleetpolicy", policyName)
	fmt.Fprintf(d.out, "\n$ kubectl describe fleetpolicy %s\n%s\n", policyName, out)
	d.say("settled: the manager repaired what it could; what is left needs a person (Host Issues, Task Definition Issues above)")
	return err
}

// newEvents prints the Events of the policy not printed yet.
func (d *demo) newEvents(seen map[string]bool) error {
	out, err := d.env.Kubectl(nil, "get", "events", "--namespace", eventsNS,
		"--field-selector", "involvedObject.kind=FleetPolicy,involvedObject.name="+policyName,
		"--sort-by", ".metadata.creationTimestamp", "-o", eventColumns+",NAME:.metadata.name", "--no-headers")
	if err != nil {
		return err
	}
	var fresh []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || seen[fields[len(fields)-1]] {
			continue
		}
		seen[fields[len(fields)-1]] = true
		fresh = append(fresh, "  "+strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), fields[len(fields)-1])))
	}
	if len(fresh) > 0 {
		fmt.Fprintf(d.out, "\n$ kubectl get events --field-selector involvedObject.name=%s   (new ones)\n%s\n", policyName, strings.Join(fresh, "\n"))
	}
	return nil
}

// settled: every cluster read, nothing drifted or in flight.
func settled(p *v1alpha1.FleetPolicy) bool {
	c := p.Status.Counts
	return p.Status.LastSyncTime != nil && c.WindowsInstances > 0 && c.DriftedHosts == 0 && c.ContainersLackingRoute == 0 && c.RepairsInFlight == 0
}

// withoutTimes drops the columns that count time (LAST SYNC, AGE), so
// only a changed status reprints the row.
func withoutTimes(table string) string {
	lines := strings.Split(table, "\n")
	header := lines[0]
	// Column starts, from the header: kubectl pads every column to it.
	var starts []int
	for i := range header {
		if header[i] != ' ' && (i == 0 || (i >= 2 && header[i-1] == ' ' && header[i-2] == ' ')) {
			starts = append(starts, i)
		}
	}
	for i, l := range lines {
		var kept strings.Builder
		for c, from := range starts {
			to := len(l)
			if c+1 < len(starts) && starts[c+1] < len(l) {
				to = starts[c+1]
			}
			if from >= len(l) {
				break
			}
			nameTo := len(header)
			if c+1 < len(starts) {
				nameTo = starts[c+1]
			}
			name := strings.TrimSpace(header[from:nameTo])
			if name == "LAST SYNC" || name == "AGE" {
				continue
			}
			kept.WriteString(l[from:to])
		}
		lines[i] = kept.String()
	}
	return strings.Join(lines, "\n")
}

// incidentEffect says what a scenario incident does to a host.
var incidentEffect = map[string]string{
	"reboot":      "the credential proxy dies and ECS restarts the tasks without the route",
	"breakProxy":  "the credential proxy dies",
	"stripRoutes": "running containers lose the route",
	"startTasks":  "new tasks start without the route",
}
