package cliout

import (
	"encoding/json"
	"io"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
)

// Report is the JSON form of a pass, for scripts (`-o json`). Field
// names follow the FleetPolicy status where they mean the same.
type Report struct {
	Policy       string               `json:"policy"`
	At           time.Time            `json:"at"`
	LastSyncTime *time.Time           `json:"lastSyncTime,omitempty"`
	Counts       v1alpha1.FleetCounts `json:"counts"`
	HostStates   map[string]int       `json:"hostStates"`
	Conditions   []Condition          `json:"conditions"`
	Findings     []Finding            `json:"findings"`
	Summary      map[string]int       `json:"summary"`
}

// Condition is one step condition.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// Finding is one audit finding.
type Finding struct {
	Severity       string `json:"severity"`
	Rule           string `json:"rule"`
	Reason         string `json:"reason"`
	Subject        string `json:"subject"`
	Cluster        string `json:"cluster,omitempty"`
	InstanceID     string `json:"instanceID,omitempty"`
	TaskDefinition string `json:"taskDefinition,omitempty"`
	Count          int    `json:"count,omitempty"`
	Message        string `json:"message"`
}

// NewReport builds the report of one result.
func NewReport(policy string, res engine.Result) Report {
	r := Report{
		Policy:     policy,
		At:         res.At.UTC(),
		Counts:     res.Counts,
		HostStates: map[string]int{},
		Conditions: []Condition{},
		Findings:   []Finding{},
		Summary:    map[string]int{"errors": 0, "warnings": 0, "hints": 0},
	}
	if !res.LastSyncTime.IsZero() {
		t := res.LastSyncTime.UTC()
		r.LastSyncTime = &t
	}
	for s, n := range res.HostStates {
		r.HostStates[string(s)] = n
	}
	for _, c := range res.Conditions {
		r.Conditions = append(r.Conditions, Condition{Type: c.Type, Status: string(c.Status), Reason: c.Reason, Message: c.Message})
	}
	r.Findings = FindingsJSON(res.Findings)
	for _, f := range res.Findings {
		r.Summary[SeverityName(f.Severity)+"s"]++
	}
	return r
}

// FindingsJSON converts findings for JSON output.
func FindingsJSON(fs []audit.Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{
			Severity: SeverityName(f.Severity), Rule: f.Rule, Reason: f.Reason, Subject: string(f.Subject),
			Cluster: f.Cluster, InstanceID: f.InstanceID, TaskDefinition: f.TaskDefinition, Count: f.Count, Message: f.Message,
		})
	}
	return out
}

// WriteJSON writes v indented, with a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
