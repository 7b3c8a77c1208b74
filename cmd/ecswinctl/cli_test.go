package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// runCLI runs ecswinctl with args and an empty standard input.
func runCLI(args []string, out, errOut *bytes.Buffer) int {
	return run(context.Background(), streams{in: strings.NewReader(""), out: out, err: errOut}, args)
}

// runStdin runs ecswinctl with stdin as its standard input.
func runStdin(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), streams{in: strings.NewReader(stdin), out: &out, err: &errOut}, args)
	return code, out.String(), errOut.String()
}

// commandPaths lists every command below the root, completion's
// included, as the words that name it.
func commandPaths(c *cobra.Command, prefix []string) [][]string {
	var out [][]string
	for _, sub := range c.Commands() {
		path := append(append([]string{}, prefix...), sub.Name())
		out = append(out, path)
		out = append(out, commandPaths(sub, path)...)
	}
	return out
}

func TestHelpForEveryCommand(t *testing.T) {
	root := newRootCommand(streams{})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	paths := commandPaths(root, nil)
	if len(paths) < 7 {
		t.Fatalf("found only %v", paths)
	}
	for _, path := range paths {
		name := strings.Join(path, " ")
		for _, args := range [][]string{append([]string{"help"}, path...), append(append([]string{}, path...), "--help")} {
			code, out, errOut := runStdin("", args...)
			if code != exitOK || errOut != "" {
				t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
			}
			if !strings.Contains(out, "Usage:") || !strings.Contains(out, "ecswinctl "+name) {
				t.Errorf("%q printed no usage of %s:\n%s", args, name, out)
			}
			if strings.Contains(out, "(default -1") || strings.Contains(out, "-1ns") {
				t.Errorf("%q shows a sentinel default:\n%s", args, out)
			}
		}
	}
	code, out, _ := runStdin("", "help")
	for _, cmd := range []string{"audit", "lint", "run", "demo", "simulate", "completion", "version"} {
		if code != exitOK || !strings.Contains(out, "  "+cmd+" ") {
			t.Errorf("top-level help (exit %d) does not list %s:\n%s", code, cmd, out)
		}
	}
}

// Bad usage exits 2 before anything runs, names the flag or argument and
// what it accepts, and points at the command's help.
func TestUsageErrors(t *testing.T) {
	tests := map[string]struct {
		args []string
		want string
	}{
		"unknown command":          {[]string{"audti"}, `unknown command "audti"`},
		"unknown flag":             {[]string{"lint", "--nope", "x.json"}, "unknown flag: --nope"},
		"throttle above one":       {[]string{"simulate", "--throttle", "2"}, `invalid argument "2" for "--throttle" flag: must be a fraction from 0 to 1`},
		"negative server errors":   {[]string{"simulate", "--server-errors=-0.1"}, `"--server-errors" flag: must be a fraction from 0 to 1`},
		"negative latency":         {[]string{"simulate", "--latency=-1s"}, `"--latency" flag: must not be negative`},
		"latency not a duration":   {[]string{"simulate", "--latency", "fast"}, "must be a duration such as 90s"},
		"no such scenario":         {[]string{"demo", "--scenario", "nowhere"}, "neither a built-in scenario (demo, small) nor a readable file"},
		"bad listen address":       {[]string{"simulate", "--listen", "4566"}, `"--listen" flag: must be host:port`},
		"bad metrics address":      {[]string{"run", "-f", "p.yaml", "--metrics-bind-address", "localhost:http"}, "must be a number from 0 to 65535"},
		"output yaml":              {[]string{"audit", "-f", "p.yaml", "-o", "yaml"}, `invalid argument "yaml" for "-o, --output" flag: must be one of table, json`},
		"timeout too short":        {[]string{"audit", "-f", "p.yaml", "--timeout", "0"}, `"--timeout" flag: must be at least 1s`},
		"audit without a policy":   {[]string{"audit"}, `required flag(s) "policy" not set`},
		"run without a policy":     {[]string{"run"}, `required flag(s) "policy" not set`},
		"stray argument":           {[]string{"audit", "-f", "p.yaml", "extra"}, `unknown command "extra"`},
		"lint without files":       {[]string{"lint"}, "give at least one task-definition file"},
		"lint reads stdin twice":   {[]string{"lint", "-", "-"}, "standard input can be read once"},
		"simulate takes no files":  {[]string{"simulate", "x"}, `unknown command "x"`},
		"completion for no shell":  {[]string{"completion", "tcsh"}, `unknown command "tcsh"`},
		"seed that is not a count": {[]string{"demo", "--seed", "-3"}, `invalid argument "-3" for "--seed" flag`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runStdin("", tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("printed on stdout: %q", out)
			}
			if !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "--help' for usage") {
				t.Errorf("stderr %q does not say %q and point at the help", errOut, tc.want)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errOut := runStdin("", "completion", shell)
		if code != exitOK || !strings.Contains(out, "ecswinctl") {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, errOut, len(out))
		}
	}
	// What a shell asks for while the user types "ecswinctl audit -o <TAB>".
	_, out, _ := runStdin("", cobra.ShellCompRequestCmd, "audit", "-o", "")
	if !strings.Contains(out, "table\njson\n") {
		t.Errorf("-o does not complete to table and json:\n%s", out)
	}
	_, out, _ = runStdin("", cobra.ShellCompRequestCmd, "demo", "--scenario", "")
	if !strings.Contains(out, "demo\nsmall\n") {
		t.Errorf("--scenario does not complete to the built-in scenarios:\n%s", out)
	}
}

// version names the pinned route-bootstrap hash, as the manager's
// --version does; a test binary embeds none and says so.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runStdin("", args...)
		if code != exitOK || !strings.HasPrefix(out, "ecswinctl ") || !strings.Contains(out, "route-bootstrap.exe sha256: ") || errOut != "" {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	code, out, _ := runStdin("", "version", "-o", "json")
	var v versionInfo
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != exitOK || v.Version == "" || v.Commit == "" {
		t.Errorf("version -o json: exit %d, %v\n%s", code, err, out)
	}
}
