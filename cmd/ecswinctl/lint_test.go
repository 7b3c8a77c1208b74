package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/cliout"
)

const lintRole = `"taskRoleArn": "arn:aws:iam::123456789012:role/app",`

// iisDoc maps host port 80 in NAT mode: an R6 conflict.
const iisDoc = `{"taskDefinition": {"family": "iis", "revision": 3, ` + lintRole + ` "containerDefinitions": [{"name": "iis", "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}}`

// writeFile writes doc into a new file named name and returns its path.
func writeFile(t *testing.T, name, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func decodeLint(t *testing.T, out []byte, code int) cliout.LintReport {
	t.Helper()
	return decodeReport[cliout.LintReport](t, out, cliout.KindLintReport, code)
}

func TestLint(t *testing.T) {
	tests := map[string]struct {
		doc      string
		wantCode int
		want     []string // reasons, in order
		message  string   // held by the first finding's message
	}{
		"describe output, NAT host port 80": {
			doc:      iisDoc,
			wantCode: cliout.ExitFindings, want: []string{"HostPort80Conflict", "ConsiderAwsvpc"},
		},
		"register input, dynamic host port": {
			doc:      `{"family": "web", ` + lintRole + ` "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}`,
			wantCode: cliout.ExitClean,
		},
		"awsvpc binds no host port": {
			doc:      `{"family": "vpc", "networkMode": "awsvpc", ` + lintRole + ` "containerDefinitions": [{"name": "w", "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}`,
			wantCode: cliout.ExitClean,
		},
		"host mode container port 80": {
			doc:      `{"family": "h", "networkMode": "host", ` + lintRole + ` "containerDefinitions": [{"name": "w", "portMappings": [{"containerPort": 80}]}]}`,
			wantCode: cliout.ExitFindings, want: []string{"HostPort80Conflict", "ConsiderAwsvpc"},
		},
		"udp port 80 does not collide": {
			doc:      `{"family": "dns", ` + lintRole + ` "containerDefinitions": [{"name": "d", "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "udp"}]}]}`,
			wantCode: cliout.ExitClean,
		},
		"UDP in upper case does not collide either": {
			doc:      `{"family": "dns", ` + lintRole + ` "containerDefinitions": [{"name": "d", "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "UDP"}]}]}`,
			wantCode: cliout.ExitClean,
		},
		"no task role": {
			doc:      `{"family": "batch", "containerDefinitions": [{"name": "b"}]}`,
			wantCode: cliout.ExitFindings, want: []string{"TaskRoleMissing"},
			message: "the task definition has no taskRoleArn",
		},
		"not JSON":                {doc: `family: web`, wantCode: cliout.ExitFailed},
		"no container definition": {doc: `{"family": "x"}`, wantCode: cliout.ExitFailed},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, "td.json", tc.doc)
			var out, errOut bytes.Buffer
			// The flag after the file: flags go anywhere.
			code := runCLI([]string{"lint", path, "-o", "json"}, &out, &errOut)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut.String())
			}
			rep := decodeLint(t, out.Bytes(), code)
			if code == cliout.ExitFailed {
				if !strings.Contains(errOut.String(), path) || len(rep.Files) != 1 || rep.Files[0].Error == "" || !strings.Contains(rep.Error.Details[0], path) {
					t.Errorf("error does not name the file: stderr %s, report %+v", errOut.String(), rep)
				}
				return
			}
			var reasons []string
			for _, f := range rep.Findings {
				reasons = append(reasons, f.Reason)
				if f.File != path {
					t.Errorf("finding names file %q, want %q", f.File, path)
				}
			}
			if strings.Join(reasons, ",") != strings.Join(tc.want, ",") {
				t.Errorf("reasons = %v, want %v", reasons, tc.want)
			}
			if tc.message != "" && (len(rep.Findings) == 0 || !strings.Contains(rep.Findings[0].Message, tc.message)) {
				t.Errorf("findings %+v: no message holding %q", rep.Findings, tc.message)
			}
		})
	}
}

func TestLintReadsStdin(t *testing.T) {
	other := writeFile(t, "batch.json", `{"family": "batch", "containerDefinitions": [{"name": "b"}]}`)
	code, out, errOut := runStdin(iisDoc, "lint", "-o", "json", "-", other)
	if code != cliout.ExitFindings {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	rep := decodeLint(t, []byte(out), code)
	if len(rep.Files) != 2 || rep.Files[0].Path != "stdin" || rep.Files[0].TaskDefinition != "iis:3" || rep.Files[1].TaskDefinition != "batch" {
		t.Errorf("files = %+v", rep.Files)
	}
}

// --exempt-family repeats and takes lists, as spec.port80.exemptFamilies.
func TestLintExemptFamilyRepeats(t *testing.T) {
	iis := writeFile(t, "iis.json", iisDoc)
	web := writeFile(t, "web.json", strings.ReplaceAll(iisDoc, "iis", "web"))
	for _, args := range [][]string{
		{"--exempt-family", "iis", "--exempt-family", "web"},
		{"--exempt-family", "iis,web"},
	} {
		code, out, errOut := runStdin("", append([]string{"lint", "-o", "json", iis, web}, args...)...)
		rep := decodeLint(t, []byte(out), code)
		for _, f := range rep.Findings {
			if f.Reason == "HostPort80Conflict" {
				t.Errorf("%v: %s still reported (exit %d, stderr %s)", args, f.TaskDefinition, code, errOut)
			}
		}
	}
}

// A file that cannot be read fails the run (exit 2) but the others are
// still checked and reported.
func TestLintKeepsGoingPastAnUnreadableFile(t *testing.T) {
	iis := writeFile(t, "iis.json", iisDoc)
	missing := filepath.Join(t.TempDir(), "missing.json")
	code, out, errOut := runStdin("", "lint", "-o", "json", missing, iis)
	if code != cliout.ExitFailed {
		t.Fatalf("exit %d, want %d", code, cliout.ExitFailed)
	}
	rep := decodeLint(t, []byte(out), code)
	if len(rep.Findings) == 0 || rep.Findings[0].File != iis || !strings.Contains(rep.Error.Message, "1 of 2") || !strings.Contains(errOut, missing) {
		t.Errorf("report %+v, stderr %q", rep, errOut)
	}
	code, table, _ := runStdin("", "lint", missing, iis)
	if code != cliout.ExitFailed || !strings.Contains(table, "HostPort80Conflict") {
		t.Errorf("table (exit %d) lacks the readable file's findings:\n%s", code, table)
	}
}
