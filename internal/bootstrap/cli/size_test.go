package cli_test

import (
	"testing"
)

// BenchmarkHostReportSize reports the stdout size of host --check on a host
// with 100 NAT containers lacking the route (task ARNs included).
func BenchmarkHostReportSize(b *testing.B) {
	h := hostSetup{bare: 100}.build()
	var size int
	for b.Loop() {
		size = len(runCLI(b, h, "host", "--check").stdout)
	}
	b.ReportMetric(float64(size), "stdout-bytes")
}
