package simtest

import (
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ecswin/ecswin/internal/metrics"
)

// PolicySeries lists the gathered series labelled policy=policy, each as
// its name and labels, so a test can say which ones were left.
func PolicySeries(tb testing.TB, g prometheus.Gatherer, policy string) []string {
	tb.Helper()
	families, err := g.Gather()
	if err != nil {
		tb.Fatalf("gathering metrics: %v", err)
	}
	var out []string
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == metrics.LabelPolicy && l.GetValue() == policy {
					out = append(out, fmt.Sprintf("%s%v", f.GetName(), m.GetLabel()))
				}
			}
		}
	}
	return out
}
