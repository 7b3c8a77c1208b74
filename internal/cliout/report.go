package cliout

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/engine"
)

// APIVersion heads ecswinctl's -o json, one contract for audit and
// lint: one document with apiVersion, kind, summary and findings,
// whatever happened. error is present exactly when the command exits
// ExitFailed: it says why the pass failed or saw only part of what it
// was given, and whatever was found before that is still in findings.
const APIVersion = "cli.ecswin.io/v1alpha1"

// The kinds of JSON document.
const (
	KindAuditReport = "AuditReport"
	KindLintReport  = "LintReport"
)

// Exit codes of audit and lint, for scripts and CI gates. summary.result
// names them.
const (
	ExitClean    = 0 // checked everything; nothing at warning level or worse (hints may be printed)
	ExitFindings = 1 // at least one warning or error
	ExitFailed   = 2 // could not check, or not everything
)

// Results, as summary.result spells them.
const (
	ResultClean    = "clean"
	ResultFindings = "findings"
	ResultFailed   = "failed"
)

// Envelope is what every document holds, whatever its kind.
type Envelope struct {
	APIVersion string    `json:"apiVersion"`
	Kind       string    `json:"kind"`
	Summary    Summary   `json:"summary"`
	Findings   []Finding `json:"findings"`
	Error      *Error    `json:"error,omitempty"`
}

func newEnvelope(kind string) Envelope {
	return Envelope{APIVersion: APIVersion, Kind: kind, Findings: []Finding{}}
}

// finish sets the summary and the error: failure, or else one built
// from details (what failed, one line each, of total things checked).
// It returns the exit code.
func (e *Envelope) finish(failure *Error, details []string, total int, what string) int {
	if failure == nil && len(details) > 0 {
		failure = &Error{Message: fmt.Sprintf("%d of %d %s", len(details), total, what), Details: details}
	}
	e.Error = failure
	e.Summary = summarize(e.Findings, failure != nil)
	return e.Summary.ExitCode
}

// Summary counts the findings by severity and says how the command
// ended.
type Summary struct {
	Result   string `json:"result"`
	ExitCode int    `json:"exitCode"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Hints    int    `json:"hints"`
}

// Error says why a command failed. Details has one line per problem
// (a policy file's field errors, the files lint could not read).
type Error struct {
	Message string   `json:"message"`
	Details []string `json:"details,omitempty"`
}

// Finding is one audit finding. Policy is set by audit, File by lint.
type Finding struct {
	Policy         string `json:"policy,omitempty"`
	File           string `json:"file,omitempty"`
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

// AuditReport is `ecswinctl audit -o json`: one entry in policies for
// each policy of the file, their findings together in findings.
type AuditReport struct {
	Envelope
	Policies []PolicyOutcome `json:"policies"`
}

// PolicyOutcome is what one policy's pass saw. Field names follow the
// FleetPolicy status where they mean the same. Error is set when the
// pass failed or saw only part of the fleet.
type PolicyOutcome struct {
	Name         string               `json:"name"`
	At           *time.Time           `json:"at,omitempty"`
	LastSyncTime *time.Time           `json:"lastSyncTime,omitempty"`
	Counts       v1alpha1.FleetCounts `json:"counts"`
	HostStates   map[string]int       `json:"hostStates"`
	Conditions   []Condition          `json:"conditions"`
	Error        string               `json:"error,omitempty"`
}

// Condition is one step condition.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// LintReport is `ecswinctl lint -o json`: one entry in files for each
// file given, their findings together in findings.
type LintReport struct {
	Envelope
	Files []LintFile `json:"files"`
}

// LintFile is one file lint was given: the task definition it holds, or
// why it could not be read.
type LintFile struct {
	Path           string `json:"path"`
	TaskDefinition string `json:"taskDefinition,omitempty"`
	Error          string `json:"error,omitempty"`
}

// NewAuditReport starts an empty audit report.
func NewAuditReport() *AuditReport {
	return &AuditReport{Envelope: newEnvelope(KindAuditReport), Policies: []PolicyOutcome{}}
}

// NewLintReport starts an empty lint report.
func NewLintReport() *LintReport {
	return &LintReport{Envelope: newEnvelope(KindLintReport), Files: []LintFile{}}
}

// AddPolicy records one policy's pass; why is empty when the pass saw
// everything, and otherwise says what it missed or why it failed.
func (r *AuditReport) AddPolicy(name string, res engine.Result, why string) {
	o := PolicyOutcome{Name: name, Counts: res.Counts, HostStates: map[string]int{}, Conditions: []Condition{}, Error: why}
	if !res.At.IsZero() {
		t := res.At.UTC()
		o.At = &t
	}
	if !res.LastSyncTime.IsZero() {
		t := res.LastSyncTime.UTC()
		o.LastSyncTime = &t
	}
	for s, n := range res.HostStates {
		o.HostStates[string(s)] = n
	}
	for _, c := range res.Conditions {
		o.Conditions = append(o.Conditions, Condition{Type: c.Type, Status: string(c.Status), Reason: c.Reason, Message: c.Message})
	}
	r.Policies = append(r.Policies, o)
	for _, f := range FindingsJSON(res.Findings) {
		f.Policy = name
		r.Findings = append(r.Findings, f)
	}
}

// Finish fills in the summary and, when the audit failed, the error
// built from the policies' errors and failure (a problem before any
// pass, such as a policy file that does not validate). It returns the
// exit code.
func (r *AuditReport) Finish(failure *Error) int {
	var details []string
	for _, p := range r.Policies {
		if p.Error != "" {
			details = append(details, p.Name+": "+p.Error)
		}
	}
	return r.finish(failure, details, len(r.Policies), "policies could not be checked completely")
}

// Finish fills in the summary and, when some file could not be read,
// the error. It returns the exit code.
func (r *LintReport) Finish() int {
	var details []string
	for _, f := range r.Files {
		if f.Error != "" {
			details = append(details, f.Path+": "+f.Error)
		}
	}
	return r.finish(nil, details, len(r.Files), "file(s) could not be read")
}

// ErrorOf turns err into the error object, one detail a line when err
// spans several (a policy file with many problems).
func ErrorOf(err error) *Error {
	lines := strings.Split(err.Error(), "\n")
	e := &Error{Message: strings.TrimSuffix(lines[0], ":")}
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")); l != "" {
			e.Details = append(e.Details, l)
		}
	}
	return e
}

func summarize(fs []Finding, failed bool) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Severity {
		case SeverityName(audit.SeverityError):
			s.Errors++
		case SeverityName(audit.SeverityWarning):
			s.Warnings++
		default:
			s.Hints++
		}
	}
	switch {
	case failed:
		s.Result, s.ExitCode = ResultFailed, ExitFailed
	case s.Errors+s.Warnings > 0:
		s.Result, s.ExitCode = ResultFindings, ExitFindings
	default:
		s.Result, s.ExitCode = ResultClean, ExitClean
	}
	return s
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
