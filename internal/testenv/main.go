package testenv

import (
	"fmt"
	"os"
	"testing"
)

// Global is the control plane that Main started for the package's tests.
var Global *Env

// Main starts one control plane for a whole test package, runs its tests and
// stops it; use it as `func TestMain(m *testing.M) { testenv.Main(m) }`.
func Main(m *testing.M) {
	env, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		os.Exit(1)
	}
	Global = env
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "testenv: stopping the control plane:", err)
	}
	os.Exit(code)
}
