package ssmdoc

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

const validSHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestDocumentShape(t *testing.T) {
	if parseErr != nil {
		t.Fatal(parseErr)
	}
	if parsed.SchemaVersion != "2.2" {
		t.Errorf("schemaVersion %q", parsed.SchemaVersion)
	}
	if len(parsed.MainSteps) != 1 || parsed.MainSteps[0].Action != "aws:runPowerShellScript" {
		t.Fatalf("mainSteps: want one aws:runPowerShellScript step")
	}
	names := []string{ParamSource, ParamCheck, ParamRepairProxy, ParamAdapterPattern, ParamDestinations, ParamExecutionTimeout}
	if len(parsed.Parameters) != len(names) {
		t.Errorf("document has %d parameters, Go knows %d", len(parsed.Parameters), len(names))
	}
	for _, n := range names {
		p, ok := parsed.Parameters[n]
		if !ok {
			t.Errorf("parameter %s missing from the document", n)
			continue
		}
		if p.Type != "String" || p.AllowedPattern == "" {
			t.Errorf("parameter %s: type %q pattern %q: want a String with an allowedPattern", n, p.Type, p.AllowedPattern)
		}
		if !strings.HasPrefix(p.AllowedPattern, "^") || !strings.HasSuffix(p.AllowedPattern, "$") {
			t.Errorf("parameter %s: allowedPattern must be anchored", n)
		}
		if p.Default != nil && !p.pattern.MatchString(*p.Default) {
			t.Errorf("parameter %s: default %q fails its own pattern", n, *p.Default)
		}
	}
}

// TestScriptSplicesParametersSafely checks that each parameter reaches the
// script once, inside single quotes, and that no allowed value could leave
// them: the patterns must reject quote characters, '$' and backticks.
func TestScriptSplicesParametersSafely(t *testing.T) {
	script := strings.Join(parsed.MainSteps[0].Inputs.RunCommand, "\n")
	uses := regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`).FindAllStringSubmatchIndex(script, -1)
	seen := map[string]int{}
	for _, u := range uses {
		name := script[u[2]:u[3]]
		seen[name]++
		if u[0] == 0 || script[u[0]-1] != '\'' || u[1] >= len(script) || script[u[1]] != '\'' {
			t.Errorf("{{ %s }} is not inside single quotes", name)
		}
	}
	for name, p := range parsed.Parameters {
		if seen[name] != 1 {
			t.Errorf("parameter %s used %d times in the script, want 1", name, seen[name])
		}
		for _, bad := range []string{"'", "\u2018", "\u2019", "\"", "$", "`", ";", "\n"} {
			if p.pattern.MatchString("a" + bad + "b") {
				t.Errorf("parameter %s: pattern admits %q", name, bad)
			}
		}
	}
	if parsed.MainSteps[0].Inputs.TimeoutSeconds != "{{ executionTimeout }}" {
		t.Errorf("timeoutSeconds = %q", parsed.MainSteps[0].Inputs.TimeoutSeconds)
	}
}

// TestScriptMirrorsHostArgs checks that the script passes every argument
// HostArgs produces, each as its own quoted element, and maps exit codes as
// CommandExitCode does.
func TestScriptMirrorsHostArgs(t *testing.T) {
	script := strings.Join(parsed.MainSteps[0].Inputs.RunCommand, "\n")
	args, err := HostArgs(map[string][]string{ParamSource: {"https://example.com/rb.exe"}, ParamCheck: {"true"}, ParamRepairProxy: {"true"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") || a == "host" || a == "json" {
			if !strings.Contains(script, "'"+a+"'") {
				t.Errorf("script does not pass %q", a)
			}
		}
	}
	for _, want := range []string{
		"$argv = @('host', '" + cli.FlagFormat + "', 'json')",
		"if ($Check -eq 'true') { $argv += '" + cli.FlagCheck + "' }",
		"if ($RepairProxy -eq 'true') { $argv += '" + cli.FlagRepairProxy + "' }",
		"$argv += @('" + cli.FlagAdapterPattern + "', $AdapterPattern, '" + cli.FlagDestinations + "', $Destinations, '" + cli.FlagTimeout + "', \"${seconds}s\")",
		// RunTimeout's arithmetic.
		"$margin = [Math]::Min(30, [Math]::Floor([int]$ExecutionTimeout / 4))",
		"$seconds = [Math]::Max(5, [int]$ExecutionTimeout - $margin - [Math]::Ceiling($clock.Elapsed.TotalSeconds))",
		"& $exe @argv",
		fmt.Sprintf("if ($code -eq %d -or $code -eq %d -or $code -eq %d -or $code -eq %d) { exit 0 }",
			report.ExitHealthy, report.ExitRepaired, report.ExitNeedsOperator, report.ExitDriftReported),
		fmt.Sprintf("$ExitDownloadFailed = %d", ExitDownloadFailed), fmt.Sprintf("$ExitHashMismatch = %d", ExitHashMismatch),
		fmt.Sprintf("$ExitCacheFailed = %d", ExitCacheFailed), fmt.Sprintf("$ExitStartBlocked = %d", ExitStartBlocked),
		fmt.Sprintf("$ExitScriptFailed = %d", ExitScriptFailed),
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	for code := -1; code < 30; code++ {
		want := code
		if code == report.ExitHealthy || code == report.ExitRepaired || code == report.ExitNeedsOperator || code == report.ExitDriftReported {
			want = 0
		}
		if got := CommandExitCode(code); got != want {
			t.Errorf("CommandExitCode(%d) = %d, want %d", code, got, want)
		}
	}
}

// TestScriptHostSafety pins the script's safety properties in its text
// (what the text means is checked by a PowerShell grammar in
// TestScriptParses): nothing reaches stdout but the report, the cache is
// under %ProgramFiles% with its DACL set at creation, the binary is hashed
// through a handle that keeps it from changing, downloads use the SSM
// agent's proxy.
func TestScriptHostSafety(t *testing.T) {
	lines := parsed.MainSteps[0].Inputs.RunCommand
	script := strings.Join(lines, "\n")
	for _, pref := range []string{"$ProgressPreference", "$WarningPreference", "$InformationPreference", "$VerbosePreference"} {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, pref+" = 'SilentlyContinue'") })
		if i < 0 || i > 12 {
			t.Errorf("%s is not set to SilentlyContinue at the top (line %d)", pref, i)
		}
	}
	for _, want := range []string{
		"[Environment]::GetFolderPath('ProgramFiles')",
		"$security.SetAccessRuleProtection($true, $false)",
		"[IO.Directory]::CreateDirectory($root, $security)",
		"[IO.FileShare]::Read",
		"$sha.ComputeHash($file)",
		"$held.Dispose()",
		"$web.Proxy = $proxy",
		"Set-AWSProxy -Hostname $proxy.Host -Port $proxy.Port",
		"$env:https_proxy", "$env:no_proxy",
		"ReparsePoint",
		"trap { Fail $ExitScriptFailed",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	for _, banned := range []string{"icacls", "/reset", "ProgramData", "Get-FileHash", "Write-Host", "Write-Output"} {
		for i, l := range lines {
			if strings.Contains(l, banned) && !strings.HasPrefix(strings.TrimSpace(l), "#") {
				t.Errorf("line %d uses %q: %s", i+1, banned, l)
			}
		}
	}
}

func TestRunTimeout(t *testing.T) {
	for exec, want := range map[int]time.Duration{600: 570 * time.Second, 60: 45 * time.Second, 10: 8 * time.Second, 12: 9 * time.Second, 9999: 9969 * time.Second} {
		if got := RunTimeout(exec); got != want {
			t.Errorf("RunTimeout(%d) = %s, want %s", exec, got, want)
		}
	}
}

func TestHostArgs(t *testing.T) {
	base := func(extra map[string][]string) map[string][]string {
		p := map[string][]string{ParamSource: {"s3://my-bucket/tools/route-bootstrap.exe"}}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	defaults := []string{"--adapter-pattern", "Hyper-V Virtual Ethernet*", "--destinations", "169.254.170.2/32", "--timeout", "570s"}
	tests := map[string]struct {
		params  map[string][]string
		want    []string
		wantErr string
	}{
		"defaults":     {params: base(nil), want: append([]string{"host", "--format", "json"}, defaults...)},
		"check":        {params: base(map[string][]string{ParamCheck: {"true"}}), want: append([]string{"host", "--format", "json", "--check"}, defaults...)},
		"repair proxy": {params: base(map[string][]string{ParamRepairProxy: {"true"}}), want: append([]string{"host", "--format", "json", "--repair-proxy"}, defaults...)},
		"custom": {params: base(map[string][]string{ParamAdapterPattern: {"vEthernet*"}, ParamDestinations: {"169.254.170.2/32,169.254.169.254/32"}, ParamExecutionTimeout: {"60"}}),
			want: []string{"host", "--format", "json", "--adapter-pattern", "vEthernet*", "--destinations", "169.254.170.2/32,169.254.169.254/32", "--timeout", "45s"}},
		"https presigned": {params: base(map[string][]string{ParamSource: {"https://b.s3.amazonaws.com/rb.exe?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=ab12"}}), want: append([]string{"host", "--format", "json"}, defaults...)},
		"missing source":  {params: map[string][]string{}, wantErr: "source is required"},
		"sha256 param":    {params: base(map[string][]string{"sha256": {validSHA}}), wantErr: "unknown parameter"},
		"quote injection": {params: base(map[string][]string{ParamAdapterPattern: {"x'; Remove-Item C:\\ -Recurse; '"}}), wantErr: "does not match"},
		"dollar":          {params: base(map[string][]string{ParamSource: {"https://example.com/$(whoami)"}}), wantErr: "does not match"},
		"http":            {params: base(map[string][]string{ParamSource: {"http://example.com/rb.exe"}}), wantErr: "does not match"},
		"bad check":       {params: base(map[string][]string{ParamCheck: {"yes"}}), wantErr: "does not match"},
		"two values":      {params: base(map[string][]string{ParamCheck: {"true", "false"}}), wantErr: "want one value"},
		"unknown":         {params: base(map[string][]string{"format": {"text"}}), wantErr: "unknown parameter"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := HostArgs(tc.params)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("args = %q\nwant   %q", got, tc.want)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	c, err := Content(validSHA)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(c)
	if Hash(c) != hex.EncodeToString(sum[:]) {
		t.Error("Hash does not hash the content")
	}
	c[0] = 'X'
	if again, _ := Content(validSHA); again[0] == 'X' {
		t.Error("Content returns the embedded slice itself")
	}
}

// The pinned hash is part of the content: the script compares downloads
// with it, and two hashes give two documents (so two SSM hashes).
func TestContentPinsTheBinaryHash(t *testing.T) {
	other := strings.Repeat("ab", 32)
	a, errA := Content(validSHA)
	b, errB := Content(other)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if !strings.Contains(string(a), "$Sha256 = '"+validSHA+"'") || strings.Contains(string(a), binaryHashPlaceholder) {
		t.Errorf("the script does not pin %s", validSHA)
	}
	if Hash(a) == Hash(b) {
		t.Error("documents pinning different binaries have the same hash")
	}
	for _, bad := range []string{"", strings.ToUpper(validSHA), validSHA[:63], validSHA + "0", "'; calc; '" + validSHA[:54]} {
		if _, err := Content(bad); err == nil {
			t.Errorf("Content(%q) accepted a malformed hash", bad)
		}
	}
}
