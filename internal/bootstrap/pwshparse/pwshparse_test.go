package pwshparse

import (
	"strings"
	"testing"
)

// TestCheckFindsWhatItShould: the grammar flags broken syntax and the
// PowerShell 7 constructs, and passes clean 5.1 text, so a green parse
// check means something.
func TestCheckFindsWhatItShould(t *testing.T) {
	p, err := Find()
	if err != nil {
		Require(t, nil) // skips or fails as configured
		return
	}
	results, err := p.Check(map[string]string{
		"clean":    "$ErrorActionPreference = 'Stop'\nif ($a -eq 1) { [Console]::Error.WriteLine(\"x: $_\") }\n",
		"broken":   "function Fail([int]$Code {\n",
		"chain":    "Get-Item C:\\ && Write-Output ok\n",
		"ternary":  "$x = $a ? 1 : 2\n",
		"coalesce": "$x = $a ?? 'b'\n",
		"parallel": "1..3 | ForEach-Object -Parallel { $_ }\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := results["clean"]; len(r.Errors)+len(r.PS7) != 0 {
		t.Errorf("clean text flagged: %+v", r)
	}
	if len(results["broken"].Errors) == 0 {
		t.Error("a syntax error went unseen")
	}
	for _, name := range []string{"chain", "parallel"} {
		if len(results[name].PS7) == 0 {
			t.Errorf("%s: the PowerShell 7 construct went unseen: %+v", name, results[name])
		}
	}
	for _, name := range []string{"ternary", "coalesce"} {
		if r := results[name]; len(r.Errors) == 0 || !strings.Contains(r.Errors[0], "PowerShell 7") {
			t.Errorf("%s: %+v, want an error naming PowerShell 7", name, r)
		}
	}
}
