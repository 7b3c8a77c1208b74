package scenario

import (
	"os"
	"strings"
	"testing"
)

func TestBuiltinsParse(t *testing.T) {
	for _, name := range BuiltinNames() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Name != name || s.Region != DefaultRegion || s.AccountID != DefaultAccountID {
			t.Fatalf("%s: %+v", name, s)
		}
	}
	if _, err := Builtin("nope"); err == nil || !strings.Contains(err.Error(), "demo") {
		t.Fatalf("unknown builtin: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	const base = `
name: t
taskDefinitions:
- family: web
  containers: [{name: web}]
clusters:
- name: c
  groups:
  - count: 1
    osFamily: WINDOWS_SERVER_2022_CORE
    tasksPerInstance: 1
    taskMix: {web: 1}
`
	tests := map[string]struct {
		yaml string
		want string
	}{
		"unknown field":        {base + "bogus: 1\n", "unknown field"},
		"unknown os family":    {strings.Replace(base, "WINDOWS_SERVER_2022_CORE", "WINDOWS_95", 1), "unknown osFamily"},
		"unknown family":       {strings.Replace(base, "{web: 1}", "{api: 1}", 1), "unknown family"},
		"share out of range":   {base + "    taskRoleShare: 2\n", "taskRoleShare"},
		"bad network mode":     {strings.Replace(base, "- family: web", "- family: web\n  networkMode: nat", 1), "networkMode"},
		"unknown action":       {base + "events: [{after: 1s, action: explode}]\n", "unknown action"},
		"event cluster":        {base + "events: [{after: 1s, action: reboot, cluster: other}]\n", "unknown cluster"},
		"bad duration":         {base + "events: [{after: soon, action: reboot}]\n", "duration"},
		"fractions over one":   {base + "faults: {throttleFraction: 0.7, serverErrorFraction: 0.5}\n", "fractions"},
		"unknown proxy fault":  {base + "    drift: {deadProxies: 1, proxyFaults: [melted]}\n", "proxy fault"},
		"set faults w/o value": {base + "events: [{after: 1s, action: setFaults}]\n", "setFaults needs faults"},
		"service family":       {base + "  services: [{name: s, taskDefinition: api, desiredCount: 1}]\n", "unknown family"},
		"service count":        {base + "  services: [{name: s, taskDefinition: web, desiredCount: -1}]\n", "desiredCount"},
		"duplicate service":    {base + "  services: [{name: s, taskDefinition: web}, {name: s, taskDefinition: web}]\n", "duplicate service"},
	}
	if _, err := Parse([]byte(base)); err != nil {
		t.Fatalf("base scenario: %v", err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestGenerateSpreadsInstances(t *testing.T) {
	tests := map[string]struct {
		size     Size
		clusters int
	}{
		"small":    {Size{WindowsInstances: 100, TasksPerInstance: 5}, 1},
		"10k":      {Size{WindowsInstances: 10000, TasksPerInstance: 5}, 4},
		"explicit": {Size{WindowsInstances: 7, Clusters: 3}, 3},
		"no tasks": {Size{WindowsInstances: 10}, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := Generate(tc.size)
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, c := range s.Clusters {
				for _, g := range c.Groups {
					total += g.Count
				}
			}
			if len(s.Clusters) != tc.clusters || total != tc.size.WindowsInstances {
				t.Fatalf("%d clusters, %d instances", len(s.Clusters), total)
			}
		})
	}
}

// TestReadmeExampleParses keeps the README's scenario example a valid
// scenario (the parser refuses unknown fields, so a misplaced key fails).
func TestReadmeExampleParses(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Scenario format")
	_, rest, ok2 := strings.Cut(rest, "```yaml\n")
	example, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no yaml example under ## Scenario format")
	}
	if _, err := Parse([]byte(example)); err != nil {
		t.Fatalf("the README's example: %v", err)
	}
}
