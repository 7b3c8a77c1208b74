package policyfile

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAllReadsEveryDocument(t *testing.T) {
	second := strings.Replace(good, "name: prod", "name: staging", 1)
	list := "apiVersion: v1\nkind: List\nitems:\n" + indentItem(good) + indentItem(second)
	tests := map[string]string{
		"two documents":           good + "---\n" + second,
		"a leading separator":     "---\n" + good + "\n---\n# nothing here\n---\n" + second,
		"a List, as kubectl gets": list,
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			ps, err := ParseAll([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(Names(ps), ","); got != "prod,staging" {
				t.Errorf("policies = %s, want prod,staging", got)
			}
			if ps[1].Spec.Remediation.MaxConcurrency != 10 {
				t.Errorf("the second policy has no defaults: %+v", ps[1].Spec.Remediation)
			}
		})
	}
}

// indentItem makes a YAML document one item of a List.
func indentItem(doc string) string {
	var b strings.Builder
	first := true
	for _, line := range strings.Split(strings.TrimSpace(doc), "\n") {
		if first {
			b.WriteString("  - " + line + "\n")
			first = false
			continue
		}
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}

func TestParseAllRefuses(t *testing.T) {
	bad := strings.Replace(good, "us-east-1", "nowhere", 1)
	tests := map[string]struct {
		raw  string
		want string
	}{
		"nothing":                {"# just a comment\n", "holds no FleetPolicy"},
		"a bad second document":  {good + "---\n" + bad, "document 2: spec.aws.region nowhere is not an AWS region code"},
		"the same name twice":    {good + "---\n" + good, `document 2: names policy "prod" again (document 1 has it)`},
		"a bad document in List": {"apiVersion: v1\nkind: List\nitems:\n" + indentItem(bad), "spec.aws.region"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseAll([]byte(tc.raw))
			var perr *Error
			if !errors.As(err, &perr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a *policyfile.Error saying %q", err, tc.want)
			}
		})
	}
}

// Parse, for the callers that take one policy, refuses several instead
// of silently keeping the first.
func TestParseRefusesSeveralPolicies(t *testing.T) {
	_, err := Parse([]byte(good + "---\n" + strings.Replace(good, "name: prod", "name: other", 1)))
	if err == nil || !strings.Contains(err.Error(), "holds 2 FleetPolicies (prod, other) where one is expected") {
		t.Errorf("err = %v", err)
	}
}

func TestParseNamedNamesTheInput(t *testing.T) {
	ps, err := ParseNamed([]byte(good), "stdin")
	if err != nil || len(ps) != 1 || ps[0].Name != "prod" {
		t.Fatalf("ParseNamed = %v, %v", ps, err)
	}
	_, err = ParseNamed([]byte(strings.Replace(good, "us-east-1", "nowhere", 1)), "stdin")
	if err == nil || !strings.HasPrefix(err.Error(), "stdin: ") {
		t.Errorf("err = %v, want it to name stdin", err)
	}
}
