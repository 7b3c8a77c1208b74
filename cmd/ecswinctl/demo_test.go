package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// The demo on the small scenario, paced fast: it must end settled and
// print the simulator's own numbers in its before/after table.
func TestDemoPrintsTheSimulatorsNumbers(t *testing.T) {
	sc, err := fleetsim.BuiltinScenario("small")
	if err != nil {
		t.Fatal(err)
	}
	twin, err := fleetsim.New(fleetsim.Options{}, sc) // same seed, same fleet
	if err != nil {
		t.Fatal(err)
	}
	before := twin.FleetSummary()
	if before.ContainersLackingRoute == 0 {
		t.Fatal("the small scenario has no drift to show")
	}

	var out bytes.Buffer
	err = demo(context.Background(), demoOptions{scenario: "small", inventory: 500 * time.Millisecond, poll: 100 * time.Millisecond}, &out)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	text := out.String()
	for label, row := range map[string][2]int{
		"containers lacking the route": {before.ContainersLackingRoute, 0},
		"dead credential proxies":      {before.DeadProxies, 0},
		"Windows hosts":                {before.WindowsHosts, before.WindowsHosts},
	} {
		re := regexp.MustCompile(fmt.Sprintf(`%s\s+%d\s+%d\s`, regexp.QuoteMeta(label), row[0], row[1]))
		if !re.MatchString(text) {
			t.Errorf("before/after row %q is not %d -> %d:\n%s", label, row[0], row[1], text)
		}
	}
	if regexp.MustCompile(`stopping after`).MatchString(text) {
		t.Errorf("the demo did not settle:\n%s", text)
	}
}
