// Package pwshparse checks PowerShell texts with a real PowerShell grammar
// (tree-sitter-powershell, run by Node through web-tree-sitter; see
// hack/pwsh-parse), for syntax errors and for constructs Windows
// PowerShell 5.1, which SSM runs, lacks. Tests use it through Require.
package pwshparse

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// Environment variables: DirEnv names the directory install.sh prints
// (make test sets it); RequireEnv set to "1" turns a missing grammar into
// a failure instead of a skip (CI sets it).
const (
	DirEnv     = "ECSWIN_PWSH_PARSER"
	RequireEnv = "ECSWIN_REQUIRE_PWSH_PARSE"
)

// Result is what the grammar found in one text.
type Result struct {
	// Errors are syntax errors, "line:column message".
	Errors []string `json:"errors"`
	// PS7 are constructs only PowerShell 7 has (&&, ||, ForEach-Object
	// -Parallel; ?:, ?? and ?. show as syntax errors).
	PS7 []string `json:"ps7"`
}

// Parser runs hack/pwsh-parse/parse.mjs with an installed grammar.
type Parser struct {
	node, script, dir string
}

// hackDir is hack/pwsh-parse in this source tree.
func hackDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("locating the source tree")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "hack", "pwsh-parse"), nil
}

// cacheDir is where install.sh puts the grammar: the cache keyed by the
// hash of package-lock.json and .npmrc, as install.sh computes it.
func cacheDir(hack string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"package-lock.json", ".npmrc"} {
		data, err := os.ReadFile(filepath.Join(hack, name))
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	cache := os.Getenv("ECSWIN_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "ecswin")
	}
	return filepath.Join(cache, "node", "pwsh-parse-"+hex.EncodeToString(h.Sum(nil))[:12]), nil
}

// Find locates node and the installed grammar.
func Find() (*Parser, error) {
	hack, err := hackDir()
	if err != nil {
		return nil, err
	}
	dir := os.Getenv(DirEnv)
	if dir == "" {
		if dir, err = cacheDir(hack); err != nil {
			return nil, fmt.Errorf("locating the grammar's cache: %w", err)
		}
	}
	wasm := filepath.Join(dir, "node_modules", "tree-sitter-powershell", "tree-sitter-powershell.wasm")
	if _, err := os.Stat(wasm); err != nil {
		return nil, fmt.Errorf("the PowerShell grammar is not installed in %s (run hack/pwsh-parse/install.sh): %w", dir, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node not found: %w", err)
	}
	return &Parser{node: node, script: filepath.Join(hack, "parse.mjs"), dir: dir}, nil
}

// Check parses every text, by name.
func (p *Parser) Check(texts map[string]string) (map[string]Result, error) {
	in, err := json.Marshal(texts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --liftoff-only: V8's optimising compiler would spend some fifteen CPU
	// seconds on the 1 MB grammar in the background, and node waits for it
	// at exit; the baseline compiler parses our few scripts just as well.
	cmd := exec.CommandContext(ctx, p.node, "--liftoff-only", p.script, p.dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s: %w: %s", p.script, err, stderr.String())
	}
	var results map[string]Result
	if err := json.Unmarshal(out, &results); err != nil {
		return nil, fmt.Errorf("reading the parser's answer: %w", err)
	}
	if len(results) != len(texts) {
		return nil, fmt.Errorf("the parser answered for %d of %d texts", len(results), len(texts))
	}
	return results, nil
}

// Require parses texts and fails t for every syntax error or PowerShell 7
// construct, with the text's numbered lines around it. Without an
// installed grammar it skips, or fails when RequireEnv is "1".
func Require(t testing.TB, texts map[string]string) {
	t.Helper()
	p, err := Find()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" || os.Getenv(DirEnv) != "" {
			t.Fatalf("PowerShell parse check required but: %v", err)
		}
		t.Skipf("skipping the PowerShell parse check: %v", err)
	}
	results, err := p.Check(texts)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(results))
	for name := range results {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r := results[name]
		for _, e := range r.Errors {
			t.Errorf("%s: PowerShell syntax error %s\n%s", name, e, around(texts[name], e))
		}
		for _, e := range r.PS7 {
			t.Errorf("%s: Windows PowerShell 5.1 lacks %s\n%s", name, e, around(texts[name], e))
		}
	}
}

// around shows the lines near the "line:column" a message starts with.
func around(text, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "%d:", &line); err != nil {
		return ""
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i := max(1, line-2); i <= min(len(lines), line+2); i++ {
		fmt.Fprintf(&b, "%4d | %s\n", i, lines[i-1])
	}
	return b.String()
}
