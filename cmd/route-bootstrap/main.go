// Command route-bootstrap repairs the ECS task-role credential path on a
// Windows container host and inside its task containers. All logic lives in
// internal/bootstrap/cli; main only builds the real environment.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	env, cleanup, err := realEnv()
	if err != nil {
		fmt.Fprintf(os.Stderr, "route-bootstrap: %v\n", err)
		os.Exit(report.ExitError)
	}
	code := cli.Run(ctx, os.Args[1:], env)
	cleanup()
	stop()
	os.Exit(code)
}
