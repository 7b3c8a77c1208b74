package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// The event metrics pass promlint and go with their policy.
func TestEventMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.MessageRead("a", "task", "handled")
	m.HintDue("task", 3*time.Second)
	m.ReceiveFailed("a", "ReceiveMessage", "not_found")
	m.RunAvoided("a", AvoidedRevisionCarriesRoute)
	m.RunAvoided("b", AvoidedNoNATContainers)
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Fatalf("lint: %v %+v", err, problems)
	}
	if n := testutil.CollectAndCount(m.events.avoided); n != 2 {
		t.Fatalf("%d runs-avoided series", n)
	}
	m.ForgetPolicy("a")
	for name, c := range map[string]prometheus.Collector{"messages": m.events.messages, "failures": m.events.failures, "avoided": m.events.avoided} {
		want := 0
		if name == "avoided" {
			want = 1 // b's
		}
		if n := testutil.CollectAndCount(c); n != want {
			t.Errorf("%s: %d series after forgetting a, want %d", name, n, want)
		}
	}
}
