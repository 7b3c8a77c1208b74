package remediate

import (
	"reflect"
	"testing"
	"time"
)

func TestSelect(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	policy := SelectPolicy{Now: now, Reverify: 6 * time.Hour, RetryAfter: 3 * time.Minute, RepairOnFindings: true, Budget: 10}
	cases := map[string]struct {
		cands  []Candidate
		policy func(*SelectPolicy)
		want   []string
	}{
		"never verified": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true}},
			want:  []string{"i-1"},
		},
		"unreachable is skipped": {
			cands: []Candidate{{InstanceID: "i-1"}},
		},
		"recently verified and healthy": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour)}},
		},
		"reverify due": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(7 * time.Hour)}},
			want:  []string{"i-1"},
		},
		"NAT task started since the last run": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour), NewestNATTask: ago(time.Minute)}},
			want:  []string{"i-1"},
		},
		"NAT task older than the last run": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour), NewestNATTask: ago(2 * time.Hour)}},
		},
		"needs repair, retry interval passed": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(5 * time.Minute), LastRunAWS: ago(5 * time.Minute), NeedsRepair: true}},
			want:  []string{"i-1"},
		},
		"needs repair, too soon": {
			cands: []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(time.Minute), LastRunAWS: ago(time.Minute), NeedsRepair: true}},
		},
		"needs repair in a dry run": {
			cands:  []Candidate{{InstanceID: "i-1", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour), NeedsRepair: true}},
			policy: func(p *SelectPolicy) { p.RepairOnFindings = false },
		},
		"budget keeps the most urgent": {
			cands: []Candidate{
				{InstanceID: "i-reverify", Reachable: true, LastRun: ago(9 * time.Hour)},
				{InstanceID: "i-new", Reachable: true},
				{InstanceID: "i-broken", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour), NeedsRepair: true},
			},
			policy: func(p *SelectPolicy) { p.Budget = 2 },
			want:   []string{"i-new", "i-broken"},
		},
		"new tasks before hosts merely due": {
			cands: []Candidate{
				{InstanceID: "i-a-due", Reachable: true, LastRun: ago(7 * time.Hour), LastRunAWS: ago(7 * time.Hour)},
				{InstanceID: "i-b-due", Reachable: true, LastRun: ago(8 * time.Hour), LastRunAWS: ago(8 * time.Hour)},
				{InstanceID: "i-z-new-task", Reachable: true, LastRun: ago(time.Hour), LastRunAWS: ago(time.Hour), NewestNATTask: ago(time.Minute)},
			},
			policy: func(p *SelectPolicy) { p.Budget = 2 },
			want:   []string{"i-z-new-task", "i-b-due"},
		},
		"no budget": {
			cands:  []Candidate{{InstanceID: "i-1", Reachable: true}},
			policy: func(p *SelectPolicy) { p.Budget = 0 },
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := policy
			if c.policy != nil {
				c.policy(&p)
			}
			got := Select(c.cands, p)
			if len(got) == 0 && len(c.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Select = %v, want %v", got, c.want)
			}
		})
	}
}
