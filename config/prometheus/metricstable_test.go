package promconfig_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/metrics"
)

type fullState struct{}

func (fullState) MetricsState() []metrics.PolicyState {
	return []metrics.PolicyState{{
		Policy: "p", HostsByState: map[string]int{"Healthy": 1}, ContainersLackingRoute: 1, DriftedHosts: 1,
		LastSync: time.Unix(1, 0), InventoryInterval: time.Minute, HostFindings: map[string]int{"RouteMissing": 1},
		Port80Conflicts: []metrics.Port80Conflict{{Cluster: "c", Family: "f", TaskDefinitions: 1}},
	}}
}

type exported struct {
	typ    string
	labels []string
}

// exportedMetrics is every ecswin series family with its type and label
// names, gathered with every metric populated.
func exportedMetrics(t *testing.T) map[string]exported {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetStateSource(fullState{})
	m.InitPolicy("p")
	m.RepairFinished("p", metrics.RepairSucceeded, time.Second)
	m.ObserveAPICall(awsapi.APICall{Policy: "p", Service: "ECS", Operation: "ListTasks", Result: "throttled", Throttled: true})
	m.MessageRead("p", "task", "handled")
	m.HintDue("task", time.Second)
	m.ReceiveFailed("p", "ReceiveMessage", "not_found")
	m.RunAvoided("p", metrics.AvoidedRevisionCarriesRoute)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]exported{}
	for _, f := range families {
		e := exported{typ: strings.ToLower(f.GetType().String())}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if !slices.Contains(e.labels, l.GetName()) {
					e.labels = append(e.labels, l.GetName())
				}
			}
		}
		slices.Sort(e.labels)
		out[f.GetName()] = e
	}
	return out
}

var tableRow = regexp.MustCompile("^\\| `(ecswin_[a-z0-9_]+)` \\| ([a-z]+) \\| ([^|]*) \\|")

// documented reads the README's metrics table: name, type, labels.
func documented(t *testing.T) map[string]exported {
	t.Helper()
	raw, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	section := string(raw)
	start := strings.Index(section, "\n## Metrics\n")
	if start < 0 {
		t.Fatal("README.md has no ## Metrics section")
	}
	section = section[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	out := map[string]exported{}
	for _, line := range strings.Split(section, "\n") {
		m := tableRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		e := exported{typ: m[2]}
		for _, l := range strings.Split(m[3], ",") {
			if l = strings.Trim(strings.TrimSpace(l), "`"); l != "" {
				e.labels = append(e.labels, l)
			}
		}
		slices.Sort(e.labels)
		out[m[1]] = e
	}
	return out
}

// The README's metrics table lists every series ecswin exports, with its
// type and labels, and nothing else.
func TestREADMEListsEveryMetric(t *testing.T) {
	have, doc := exportedMetrics(t), documented(t)
	for name, e := range have {
		d, ok := doc[name]
		switch {
		case !ok:
			t.Errorf("README.md's metrics table lacks %s (%s, labels %v)", name, e.typ, e.labels)
		case d.typ != e.typ || !slices.Equal(d.labels, e.labels):
			t.Errorf("README.md says %s is a %s with labels %v; it is a %s with %v", name, d.typ, d.labels, e.typ, e.labels)
		}
	}
	for name := range doc {
		if _, ok := have[name]; !ok {
			t.Errorf("README.md's metrics table lists %s, which ecswin does not export", name)
		}
	}
}

// Every dashboard query on a metric with a policy label keeps to the
// selected policies.
func TestDashboardFiltersByPolicy(t *testing.T) {
	have, d := exportedMetrics(t), readDashboard(t)
	selector := regexp.MustCompile(`(ecswin_[a-z0-9_]+)(\{[^}]*\})?`)
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			for _, m := range selector.FindAllStringSubmatch(tg.Expr, -1) {
				name := m[1]
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					name = strings.TrimSuffix(name, suffix)
				}
				if slices.Contains(have[name].labels, metrics.LabelPolicy) && !strings.Contains(m[2], `policy=~"$policy"`) {
					t.Errorf("panel %q queries %s without policy=~\"$policy\": %s", p.Title, m[1], tg.Expr)
				}
			}
		}
	}
}
