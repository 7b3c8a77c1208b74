package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	const role = `"taskRoleArn": "arn:aws:iam::123456789012:role/app",`
	tests := map[string]struct {
		doc      string
		wantCode int
		want     []string // reasons, in order
		message  string   // held by the first finding's message
	}{
		"describe output, NAT host port 80": {
			doc:      `{"taskDefinition": {"family": "iis", "revision": 3, ` + role + ` "containerDefinitions": [{"name": "iis", "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}}`,
			wantCode: exitFindings, want: []string{"HostPort80Conflict", "ConsiderAwsvpc"},
		},
		"register input, dynamic host port": {
			doc:      `{"family": "web", ` + role + ` "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}`,
			wantCode: exitClean,
		},
		"awsvpc binds no host port": {
			doc:      `{"family": "vpc", "networkMode": "awsvpc", ` + role + ` "containerDefinitions": [{"name": "w", "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}`,
			wantCode: exitClean,
		},
		"host mode container port 80": {
			doc:      `{"family": "h", "networkMode": "host", ` + role + ` "containerDefinitions": [{"name": "w", "portMappings": [{"containerPort": 80}]}]}`,
			wantCode: exitFindings, want: []string{"HostPort80Conflict", "ConsiderAwsvpc"},
		},
		"udp port 80 does not collide": {
			doc:      `{"family": "dns", ` + role + ` "containerDefinitions": [{"name": "d", "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "udp"}]}]}`,
			wantCode: exitClean,
		},
		"UDP in upper case does not collide either": {
			doc:      `{"family": "dns", ` + role + ` "containerDefinitions": [{"name": "d", "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "UDP"}]}]}`,
			wantCode: exitClean,
		},
		"no task role": {
			doc:      `{"family": "batch", "containerDefinitions": [{"name": "b"}]}`,
			wantCode: exitFindings, want: []string{"TaskRoleMissing"},
			message: "the task definition has no taskRoleArn",
		},
		"not JSON":                {doc: `family: web`, wantCode: exitFailed},
		"no container definition": {doc: `{"family": "x"}`, wantCode: exitFailed},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "td.json")
			if err := os.WriteFile(path, []byte(tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"lint", "-o", "json", path}, &out, &errOut)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut.String())
			}
			if code == exitFailed {
				if !strings.Contains(errOut.String(), path) {
					t.Errorf("error does not name the file: %s", errOut.String())
				}
				return
			}
			var got []lintFinding
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out.String())
			}
			var reasons []string
			for _, f := range got {
				reasons = append(reasons, f.Reason)
			}
			if strings.Join(reasons, ",") != strings.Join(tc.want, ",") {
				t.Errorf("reasons = %v, want %v", reasons, tc.want)
			}
			if tc.message != "" && (len(got) == 0 || !strings.Contains(got[0].Message, tc.message)) {
				t.Errorf("findings %+v: no message holding %q", got, tc.message)
			}
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, cmd := range []string{"audit", "run", "lint", "demo"} {
		t.Run(cmd, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{cmd, "-h"}, &out, &errOut); code != exitOK {
				t.Errorf("%s -h exited %d", cmd, code)
			}
			if !strings.Contains(errOut.String(), "-") {
				t.Errorf("%s -h printed no flags", cmd)
			}
		})
	}
}
