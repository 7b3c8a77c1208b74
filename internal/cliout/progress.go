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

// EventCounts sums a pass's events by reason, in a stable order:
// "RepairSucceeded 37, RepairFailed 1". Per-host events beyond the
// engine's cap arrive as one "and N more" event, which is counted in.
func EventCounts(evs []engine.Event) map[string]int {
	out := map[string]int{}
	for _, e := range evs {
		n := 1
		var more int
		if _, err := fmt.Sscanf(e.Message, "and %d more", &more); err == nil {
			n = more
		}
		out[e.Reason] += n
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
