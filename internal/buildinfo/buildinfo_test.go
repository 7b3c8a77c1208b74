package buildinfo

import (
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestPlainBuildEmbedsNoHash(t *testing.T) {
	if got := RouteBootstrapSHA256(); got != "" {
		t.Fatalf("a test binary embeds route-bootstrap hash %q; only make build sets one", got)
	}
	if !strings.Contains(String("manager"), "none embedded") {
		t.Errorf("--version text does not say the hash is missing:\n%s", String("manager"))
	}
}

func TestValidSHA256(t *testing.T) {
	good := strings.Repeat("0a", 32)
	for s, want := range map[string]bool{
		good: true, strings.ToUpper(good): false, good[:63]: false, good + "0": false, "": false,
		strings.Repeat("g", 64): false,
	} {
		if ValidSHA256(s) != want {
			t.Errorf("ValidSHA256(%q) = %v", s, !want)
		}
	}
}

// The linker flags the Makefile passes reach the accessors: a small
// program (testdata/printinfo) built with them prints what it was given.
func TestLinkerFlagsReachTheAccessors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := t.TempDir()
	sum := sha256.Sum256([]byte("route-bootstrap.exe"))
	hash := hex.EncodeToString(sum[:])
	pkg := "github.com/ecswin/ecswin/internal/buildinfo"
	bin := filepath.Join(dir, "prog")
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X "+pkg+".version=v1.2.3 -X "+pkg+".commit=abc123 -X "+pkg+".routeBootstrapSHA256="+hash, "./testdata/printinfo")
	_, file, _, _ := runtime.Caller(0)
	build.Dir = filepath.Dir(file)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1.2.3 abc123 " + hash; string(out) != want {
		t.Errorf("program printed %q, want %q", out, want)
	}
}
