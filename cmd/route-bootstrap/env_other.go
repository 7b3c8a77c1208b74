//go:build !windows

package main

import (
	"os"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// realEnv off Windows: the command line works, every OS call reports
// hostos.ErrUnsupported. The logic is exercised through internal packages'
// tests and the fleet simulator instead.
func realEnv() (cli.Env, func(), error) {
	exe, _ := os.Executable()
	return cli.Env{
		OS:         hostos.Unsupported(),
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Executable: exe,
		RunApp:     runApp,
	}, func() {}, nil
}
