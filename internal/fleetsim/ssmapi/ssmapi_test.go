package ssmapi

import (
	"strings"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	tests := map[string]struct {
		spec       string
		n          int
		atLeastOne bool
		want       int
	}{
		"count":                {"7", 50, true, 7},
		"percent rounds up":    {"10%", 15, true, 2},
		"percent at least one": {"1%", 3, true, 1},
		"errors round down":    {"10%", 15, false, 1},
		"zero errors":          {"0", 50, false, 0},
		"all errors":           {"100%", 8, false, 8},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := limit(tc.spec, tc.n, tc.atLeastOne); got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestTruncateCountsCharacters(t *testing.T) {
	tests := map[string]struct {
		in   string
		n    int
		want string
	}{
		"short":     {"abc", 5, "abc"},
		"cut":       {"abcdef", 4, "abcd"},
		"multibyte": {"ééééé", 3, "ééé"},
		"24000":     {strings.Repeat("x", 30000), maxStdout, strings.Repeat("x", maxStdout)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := truncate(tc.in, tc.n); got != tc.want {
				t.Fatalf("got %d chars", len(got))
			}
		})
	}
}

func TestExecutionTimeoutFromDocument(t *testing.T) {
	doc, err := parseContent(runPowerShellScript, "JSON")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		params map[string]string
		want   time.Duration
	}{
		"given":       {map[string]string{"executionTimeout": "120"}, 2 * time.Minute},
		"unparseable": {map[string]string{"executionTimeout": "soon"}, time.Hour},
		"missing":     {map[string]string{}, time.Hour},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := executionTimeout(doc, tc.params); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseContentRejects(t *testing.T) {
	tests := map[string]struct {
		content, format, code string
	}{
		"empty":          {"", "JSON", CodeInvalidDocumentContent},
		"not json":       {"{", "JSON", CodeInvalidDocumentContent},
		"no schema":      {`{"mainSteps":[{"action":"aws:runShellScript","name":"x"}]}`, "JSON", CodeInvalidDocumentContent},
		"old schema":     {`{"schemaVersion":"0.3","mainSteps":[{"action":"x","name":"x"}]}`, "JSON", CodeInvalidDocumentSchema},
		"no steps":       {`{"schemaVersion":"2.2"}`, "JSON", CodeInvalidDocumentContent},
		"bad pattern":    {`{"schemaVersion":"2.2","parameters":{"p":{"type":"String","allowedPattern":"("}},"mainSteps":[{"action":"x","name":"x"}]}`, "JSON", CodeInvalidDocumentContent},
		"yaml not valid": {"schemaVersion: [", "YAML", CodeInvalidDocumentContent},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := parseContent(tc.content, tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.code) {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}
