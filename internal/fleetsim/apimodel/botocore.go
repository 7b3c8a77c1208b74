package apimodel

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// BotocoreEnv names a list of botocore data directories (separated like
// PATH) to use instead of searching the machine.
const BotocoreEnv = "ECSWIN_BOTOCORE_DATA"

// Botocore is one botocore installation's data directory.
type Botocore struct {
	// Dir is the data directory (…/botocore/data).
	Dir string
	// Version is botocore's __version__, "" when it cannot be read.
	Version string
}

func (b Botocore) String() string {
	if b.Version == "" {
		return b.Dir
	}
	return "botocore " + b.Version + " (" + b.Dir + ")"
}

// pythons are asked where their botocore lives: the one on PATH (the AWS
// CLI v1's, under pyenv) and Debian's, which python3-botocore serves.
var pythons = []string{"python3", "/usr/bin/python3"}

// bundled are botocore copies the AWS CLI v2 ships inside itself:
// Debian's awscli package and AWS's own installer.
var bundled = []string{
	"/usr/lib/python3/dist-packages/awscli/botocore",
	"/usr/local/aws-cli/v2/*/dist/awscli/botocore",
	"/usr/local/aws-cli/v2/current/dist/awscli/botocore",
}

// FindBotocore lists the botocore installations on this machine that
// hold the models of every served service, each data directory once.
func FindBotocore() []Botocore {
	var candidates []string
	if env := os.Getenv(BotocoreEnv); env != "" {
		for _, dir := range filepath.SplitList(env) {
			candidates = append(candidates, filepath.Dir(filepath.Clean(dir)))
		}
	} else {
		for _, py := range pythons {
			if dir := askPython(py); dir != "" {
				candidates = append(candidates, dir)
			}
		}
		for _, pattern := range bundled {
			matches, _ := filepath.Glob(pattern)
			candidates = append(candidates, matches...)
		}
	}
	var out []Botocore
	seen := map[string]bool{}
	for _, pkg := range candidates {
		data := filepath.Join(pkg, "data")
		real, err := filepath.EvalSymlinks(data)
		if err != nil || seen[real] || !hasServedModels(real) {
			continue
		}
		seen[real] = true
		out = append(out, Botocore{Dir: real, Version: botocoreVersion(pkg)})
	}
	return out
}

// askPython returns the directory of the botocore package py imports,
// or "" when py is missing or has none.
func askPython(py string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func hasServedModels(data string) bool {
	for _, svc := range Served {
		if _, err := findModelFile(data, svc, "service-2"); err != nil {
			return false
		}
	}
	return true
}

var versionLine = regexp.MustCompile(`(?m)^__version__\s*=\s*['"]([^'"]+)['"]`)

func botocoreVersion(pkg string) string {
	b, err := os.ReadFile(filepath.Join(pkg, "__init__.py"))
	if err != nil {
		return ""
	}
	if m := versionLine.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// findModelFile finds name.json or name.json.gz of the service.
func findModelFile(data string, svc Service, name string) (string, error) {
	base := filepath.Join(data, svc.Name, svc.APIVersion, name+".json")
	for _, p := range []string{base, base + ".gz"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s model for %s %s in %s: %w", name, svc.Name, svc.APIVersion, data, fs.ErrNotExist)
}

// Read returns one of the service's model files ("service-2",
// "paginators-1", "waiters-2"), decompressed.
func (b Botocore) Read(svc Service, name string) ([]byte, error) {
	p, err := findModelFile(b.Dir, svc, name)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading botocore model: %w", err)
	}
	if !strings.HasSuffix(p, ".gz") {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	defer func() { _ = zr.Close() }()
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return out, nil
}

// Load reads, parses and trims the service's model to the served
// operations: the rules the simulator would enforce with this model.
func (b Botocore) Load(svc Service) (full, trimmed *Model, err error) {
	raw, err := b.Read(svc, "service-2")
	if err != nil {
		return nil, nil, err
	}
	full, err = Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", b, err)
	}
	sum := sha256.Sum256(raw)
	trimmed, err = Trim(full, svc.Operations, Source{Botocore: b.Version, SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", b, err)
	}
	return full, trimmed, nil
}

// ErrNoBotocore says no botocore models were found.
var ErrNoBotocore = errors.New("no botocore service models found: install Debian's python3-botocore " +
	"(or an AWS CLI, which bundles them), or point " + BotocoreEnv + " at a botocore/data directory")

// Digest is the SHA-256 of the service's uncompressed service-2.json,
// which generated files record as their source.
func (b Botocore) Digest(svc Service) (string, error) {
	raw, err := b.Read(svc, "service-2")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}

// Newest is the latest botocore release of found; development builds
// (such as the one Debian's AWS CLI v2 bundles, "2.0.0dev…") rank below
// releases, since their numbering is not botocore's.
func Newest(found []Botocore) Botocore {
	best := found[0]
	for _, b := range found[1:] {
		if versionLess(best.Version, b.Version) {
			best = b
		}
	}
	return best
}

func versionLess(a, b string) bool {
	da, db := strings.Contains(a, "dev"), strings.Contains(b, "dev")
	if da != db {
		return da
	}
	pa, pb := versionParts(a), versionParts(b)
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func versionParts(v string) []int {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	out := make([]int, 0, len(fields))
	for _, f := range fields {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}
