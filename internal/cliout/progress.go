package cliout

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/engine"
)

// StatesLine is the host states of a result, the pressing ones coloured,
// states with no host left out: "healthy 290 · repairing 6 · unreachable 1".
func StatesLine(st Style, res engine.Result) string {
	parts := make([]string, 0, len(engine.HostStates))
	for _, s := range engine.HostStates {
		n := res.HostStates[s]
		if n == 0 {
			continue
		}
		text := fmt.Sprintf("%s %d", StateName(s), n)
		switch s {
		case engine.HostHealthy:
			text = st.Good(text)
		case engine.HostDrifted, engine.HostRepairFailed, engine.HostReportUnreadable:
			text = st.Bad(text)
		case engine.HostRepairing:
			text = st.Warn(text)
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		return st.Dim("no Windows host seen yet")
	}
	return strings.Join(parts, st.Dim(" · "))
}

// StateName is a host state as progress lines spell it: short, lower
// case.
func StateName(s engine.HostState) string {
	switch s {
	case engine.HostReportUnreadable:
		return "unreadable"
	case engine.HostRepairFailed:
		return "failed"
	}
	return strings.ToLower(string(s))
}

// EventCounts sums a pass's events by reason: the hosts an event counts
// (an event of a command's runs names or counts many), or 1.
func EventCounts(evs []engine.Event) map[string]int {
	out := map[string]int{}
	for _, e := range evs {
		out[e.Reason] += max(e.Hosts, 1)
	}
	return out
}

// Elapsed is m:ss.t, short enough for a progress column.
func Elapsed(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	m := int(d / time.Minute)
	s := d - time.Duration(m)*time.Minute
	return fmt.Sprintf("%d:%04.1f", m, s.Seconds())
}
