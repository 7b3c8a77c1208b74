// Package metrics holds ecswin's Prometheus metrics. Counters and the
// histogram are updated as things happen; state gauges are computed at
// scrape time from the engine's latest results, so a forgotten policy or
// a vanished host leaves no stale series.
package metrics
