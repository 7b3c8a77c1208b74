// Package promconfig_test checks the alert rules and the Grafana
// dashboard of config/prometheus: promtool's own checks and unit tests,
// and that every ecswin metric they name exists in internal/metrics.
package promconfig_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ecswin/ecswin/internal/metrics"
)

const (
	rulesFile     = "ecswin-alerts.rules.yaml"
	rulesTestFile = "ecswin-alerts.test.yaml"
	dashboardFile = "grafana-dashboard.json"
)

// promtool comes with Prometheus: `apt-get install prometheus` on Debian
// and Ubuntu, or the release tarball from prometheus.io.
func promtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH, so the alert rules are not checked: install it with `apt-get install prometheus` (Debian/Ubuntu) or from a Prometheus release")
	}
	return path
}

func TestRulesPassPromtoolCheck(t *testing.T) {
	out, err := exec.Command(promtool(t), "check", "rules", rulesFile).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestRulesPassTheirUnitTests(t *testing.T) {
	out, err := exec.Command(promtool(t), "test", "rules", rulesTestFile).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

// describer collects what metrics.New registers.
type describer struct{ names map[string]bool }

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

func (d *describer) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc, 16)
	go func() { c.Describe(ch); close(ch) }()
	for desc := range ch {
		if m := fqName.FindStringSubmatch(desc.String()); m != nil {
			d.names[m[1]] = true
		}
	}
	return nil
}
func (d *describer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = d.Register(c)
	}
}
func (d *describer) Unregister(prometheus.Collector) bool { return true }

func metricNames(t *testing.T) map[string]bool {
	t.Helper()
	d := &describer{names: map[string]bool{}}
	if _, err := metrics.New(d); err != nil {
		t.Fatal(err)
	}
	if len(d.names) == 0 {
		t.Fatal("internal/metrics registered no metric")
	}
	return d.names
}

// ecswinName finds metric names; a recorded series'
// (policy:ecswin_failing_hosts:sum) is not one.
var ecswinName = regexp.MustCompile(`(?:^|[^:\w])(ecswin_[a-z0-9_]+)`)

// referenced lists the ecswin metric names in a file, histogram series
// folded onto their metric.
func referenced(t *testing.T, file string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range ecswinName.FindAllStringSubmatch(string(raw), -1) {
		n := m[1]
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			n = strings.TrimSuffix(n, suffix)
		}
		out[n] = true
	}
	return out
}

func TestRulesAndDashboardNameRealMetrics(t *testing.T) {
	known := metricNames(t)
	for _, file := range []string{rulesFile, rulesTestFile, dashboardFile} {
		for n := range referenced(t, file) {
			if !known[n] {
				t.Errorf("%s names %s, which internal/metrics does not export", file, n)
			}
		}
	}
}

func TestDashboardShowsEveryMetric(t *testing.T) {
	used := referenced(t, dashboardFile)
	var missing []string
	for n := range metricNames(t) {
		if !used[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("the dashboard shows no panel for %v", missing)
	}
}

// grafanaDashboard is the part of the dashboard the tests read.
type grafanaDashboard struct {
	UID    string `json:"uid"`
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

func readDashboard(t *testing.T) grafanaDashboard {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d grafanaDashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("dashboard is not JSON: %v", err)
	}
	return d
}

func TestDashboardIsGrafanaJSON(t *testing.T) {
	d := readDashboard(t)
	if d.UID == "" || len(d.Panels) == 0 {
		t.Fatalf("dashboard has no uid or no panels")
	}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 || p.Targets[0].Expr == "" {
			t.Errorf("panel %q has no query", p.Title)
		}
	}
}
