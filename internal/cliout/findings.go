package cliout

import (
	"fmt"
	"io"
	"strings"

	"github.com/ecswin/ecswin/internal/audit"
)

// SeverityName is how tables and JSON spell a severity.
func SeverityName(s audit.Severity) string {
	switch s {
	case audit.SeverityError:
		return "error"
	case audit.SeverityWarning:
		return "warning"
	}
	return "hint"
}

// Subject names what a finding is about: the host or family:revision.
func Subject(f audit.Finding) string {
	if f.Subject == audit.SubjectTaskDefinition || f.InstanceID == "" {
		return f.TaskDefinition
	}
	if f.TaskDefinition != "" {
		return f.InstanceID + " (" + f.TaskDefinition + ")"
	}
	return f.InstanceID
}

// FindingsTable prints findings worst first, one a line, the message
// last so the columns stay aligned however long it is.
func FindingsTable(w io.Writer, st Style, fs []audit.Finding) error {
	rows := make([][]string, 0, len(fs))
	for _, f := range fs {
		count := ""
		if f.Count > 0 {
			count = fmt.Sprint(f.Count)
		}
		rows = append(rows, []string{SeverityCell(st, f.Severity), f.Rule, f.Reason, f.Cluster, Subject(f), count, f.Message})
	}
	return Table(w, st, []string{"SEVERITY", "RULE", "REASON", "CLUSTER", "SUBJECT", "COUNT", "WHAT TO DO"}, rows)
}

// Table prints findings rows under header in aligned columns, the last
// one wrapped on a terminal, or "no findings" when there is no row.
func Table(w io.Writer, st Style, header []string, rows [][]string) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, st.Good("no findings"))
		return err
	}
	return Columns(w, st, header, rows, Layout{RightAligned: countColumn(header)})
}

// countColumn right-aligns a COUNT column, where there is one.
func countColumn(header []string) []int {
	for i, h := range header {
		if h == "COUNT" {
			return []int{i}
		}
	}
	return nil
}

// SeverityCell is a severity, coloured by how bad it is.
func SeverityCell(st Style, s audit.Severity) string {
	name := SeverityName(s)
	switch s {
	case audit.SeverityError:
		return st.Bad(name)
	case audit.SeverityWarning:
		return st.Warn(name)
	}
	return st.Dim(name)
}

// CountBySeverity counts findings at least as severe as min.
func CountBySeverity(fs []audit.Finding, minimum audit.Severity) int {
	n := 0
	for _, f := range fs {
		if f.Severity >= minimum {
			n++
		}
	}
	return n
}

// FindingsSummary is "3 errors, 12 warnings, 4 hints".
func FindingsSummary(fs []audit.Finding) string {
	var e, w, h int
	for _, f := range fs {
		switch f.Severity {
		case audit.SeverityError:
			e++
		case audit.SeverityWarning:
			w++
		default:
			h++
		}
	}
	return strings.Join([]string{plural(e, "error"), plural(w, "warning"), plural(h, "hint")}, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
