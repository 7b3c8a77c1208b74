//go:build windows

package main

import (
	"fmt"
	"os"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/dockerrt"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/winos"
)

func realEnv() (cli.Env, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return cli.Env{}, nil, fmt.Errorf("locating this binary: %w", err)
	}
	// The client connects lazily, so ensure inside a container (where there
	// is no Docker pipe) never touches it.
	docker, err := dockerrt.New()
	if err != nil {
		return cli.Env{}, nil, err
	}
	return cli.Env{
		OS: hostos.Parts{
			Network: winos.Network{}, Proxy: winos.Proxy{}, ProxyRepair: winos.Repair{},
			Containers: docker, Runs: winos.Runs{},
		},
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Executable: exe,
		RunApp:     runApp,
	}, func() { docker.Close() }, nil
}
