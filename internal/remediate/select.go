package remediate

import (
	"sort"
	"time"
)

// Candidate is what selection needs to know about one host.
type Candidate struct {
	InstanceID string
	// Reachable: SSM online and no command in flight on it.
	Reachable bool
	// LastRun is when its last command was sent (our clock); zero if
	// never. LastRunAWS is SSM's time of that request.
	LastRun    time.Time
	LastRunAWS time.Time
	// NewestNATTask is the latest start (ECS's clock) of a task on it
	// whose containers need the route.
	NewestNATTask time.Time
	// NeedsRepair: it has findings that a run can change (route missing,
	// proxy broken with repair on, unreadable report, failed run).
	NeedsRepair bool
}

// Why says why a host was chosen; lower sorts first.
type Why int

// Reasons for a run, most urgent first.
const (
	WhyNeverVerified Why = iota
	WhyNeedsRepair
	WhyNewTasks
	WhyReverify
)

// SelectPolicy are the knobs of selection.
type SelectPolicy struct {
	Now      time.Time
	Reverify time.Duration
	// RetryAfter is the least time between two runs on a host that needs
	// repair, so a host that stays broken is not hammered.
	RetryAfter time.Duration
	// RepairOnFindings: findings alone trigger a run (Enforce). In DryRun
	// a second check would only repeat what the first one said.
	RepairOnFindings bool
	// Budget is how many hosts may get a command now.
	Budget int
}

// Select returns the instance IDs that need a run now, most urgent first,
// at most p.Budget of them.
func Select(cands []Candidate, p SelectPolicy) []string {
	type pick struct {
		id   string
		why  Why
		last time.Time
	}
	var picks []pick
	for _, c := range cands {
		if !c.Reachable || c.InstanceID == "" {
			continue
		}
		if why, ok := needsRun(c, p); ok {
			picks = append(picks, pick{c.InstanceID, why, c.LastRun})
		}
	}
	sort.Slice(picks, func(i, j int) bool {
		if picks[i].why != picks[j].why {
			return picks[i].why < picks[j].why
		}
		if !picks[i].last.Equal(picks[j].last) {
			return picks[i].last.Before(picks[j].last)
		}
		return picks[i].id < picks[j].id
	})
	if len(picks) > p.Budget {
		picks = picks[:max(p.Budget, 0)]
	}
	ids := make([]string, len(picks))
	for i, pk := range picks {
		ids[i] = pk.id
	}
	return ids
}

func needsRun(c Candidate, p SelectPolicy) (Why, bool) {
	switch {
	case c.LastRun.IsZero():
		return WhyNeverVerified, true
	case c.NeedsRepair && p.RepairOnFindings && p.Now.Sub(c.LastRun) >= p.RetryAfter:
		return WhyNeedsRepair, true
	case c.NewestNATTask.After(c.LastRunAWS):
		return WhyNewTasks, true
	case p.Now.Sub(c.LastRun) >= p.Reverify:
		return WhyReverify, true
	}
	return 0, false
}
