package promconfig_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/audit"
)

// readmeFile is the README the runbook links and the metrics table live in.
const readmeFile = "../../README.md"

// runbookBase is where runbook_url points: the README's anchors on the
// project's default branch.
const runbookBase = "https://github.com/ecswin/ecswin/blob/main/README.md#"

type rule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	Annotations map[string]string `json:"annotations"`
}

func rules(t *testing.T) []rule {
	t.Helper()
	raw, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Rules []rule `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	var out []rule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	if len(out) == 0 {
		t.Fatal("no rules in " + rulesFile)
	}
	return out
}

// anchors are the README's headings as GitHub links them: lower case,
// punctuation dropped, spaces as hyphens.
func anchors(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	drop := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	out := map[string]bool{}
	inFence := false
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		out[strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(title), ""), " ", "-")] = true
	}
	return out
}

// Every alert links to the README's runbook for it, and the heading is
// there.
func TestEveryAlertHasARunbook(t *testing.T) {
	have := anchors(t)
	for _, r := range rules(t) {
		if r.Alert == "" {
			continue
		}
		url := r.Annotations["runbook_url"]
		anchor, ok := strings.CutPrefix(url, runbookBase)
		switch {
		case !ok:
			t.Errorf("%s: runbook_url %q does not point into %s", r.Alert, url, runbookBase)
		case anchor != strings.ToLower(r.Alert):
			t.Errorf("%s: runbook_url's anchor is %q, want its own (%q)", r.Alert, anchor, strings.ToLower(r.Alert))
		case !have[anchor]:
			t.Errorf("%s: README.md has no heading for #%s", r.Alert, anchor)
		}
	}
}

// The failing-hosts recording rule matches exactly the reasons of a run
// that ended without a usable report: every one of them, and none of the
// host findings that are not about a run.
func TestFailingHostsAreTheRunProblems(t *testing.T) {
	var expr string
	for _, r := range rules(t) {
		if r.Record == "policy:ecswin_failing_hosts:sum" {
			expr = r.Expr
		}
	}
	m := regexp.MustCompile(`ecswin_audit_host_findings\{reason=~"([^"]+)"\}`).FindStringSubmatch(expr)
	if m == nil {
		t.Fatalf("policy:ecswin_failing_hosts:sum is %q, want a sum of ecswin_audit_host_findings{reason=~...}", expr)
	}
	re := regexp.MustCompile("^(?:" + m[1] + ")$") // PromQL regexes are anchored
	for _, reason := range audit.RunProblemReasons {
		if !re.MatchString(reason) {
			t.Errorf("the failing-hosts rule misses %s", reason)
		}
	}
	others := []string{
		audit.ReasonCapabilityMissing, audit.ReasonRouteMissing, audit.ReasonProxyBroken, audit.ReasonProxyNeedsOperator,
		audit.ReasonSSMUnreachable, audit.ReasonAgentDisconnected, audit.ReasonHostDataIncomplete, audit.ReasonNotYetVerified,
	}
	for _, reason := range others {
		if slices.Contains(audit.RunProblemReasons, reason) {
			t.Errorf("%s is listed as a run problem and as another finding", reason)
		}
		if re.MatchString(reason) {
			t.Errorf("the failing-hosts rule counts %s, which is not a failed run", reason)
		}
	}
}
