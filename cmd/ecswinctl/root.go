package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/internal/buildinfo"
)

// streams are where a command reads and writes; tests give buffers.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// Exit codes shared by the commands; audit and lint have their own
// (cliout.ExitClean, ExitFindings, ExitFailed), with 2 for bad usage too.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// codeError ends a command with code. Its err, if any, has not been
// printed yet; a nil err means the command said everything itself.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *codeError) Unwrap() error { return e.err }

// exitWith ends a command with code, after it printed what it had to
// say; exitWith(0) is success.
func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return &codeError{code: code}
}

// failWith ends a command with code and err printed on stderr.
func failWith(code int, err error) error { return &codeError{code: code, err: err} }

func newRootCommand(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "ecswinctl",
		Short: "ecswin without Kubernetes: audit, repair and simulate ECS Windows fleets",
		Long: `ecswinctl runs ecswin's engine without Kubernetes: the same inventory, audit rules
and route-bootstrap repairs as the manager, for one policy file at a time.
Policy files are FleetPolicy YAML as for kubectl apply (see config/samples),
checked with the CRD's own defaults, schema and CEL rules.

AWS credentials come from the SDK's default chain (environment, profile,
SSO, instance role).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.AddGroup(&cobra.Group{ID: "fleet", Title: "Fleet commands:"}, &cobra.Group{ID: "try", Title: "Trying ecswin out:"})
	for _, c := range []*cobra.Command{newAuditCommand(s), newRunCommand(s), newLintCommand(s)} {
		c.GroupID = "fleet"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newDemoCommand(s), newSimulateCommand(s)} {
		c.GroupID = "try"
		root.AddCommand(c)
	}
	root.AddCommand(newVersionCommand(s))
	root.Version = buildinfo.Version()
	root.SetVersionTemplate(buildinfo.String("ecswinctl"))
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		// Without this, cobra answers "completion tcsh" with the help
		// and exit 0.
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			return fmt.Errorf("unknown command %q: ecswinctl completes bash, zsh, fish and powershell", args[0])
		}
	}
	return root
}

// run runs ecswinctl with args and returns its exit code; ctx ends on
// SIGINT or SIGTERM.
func run(ctx context.Context, s streams, args []string) int {
	root := newRootCommand(s)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintf(s.err, "%s: %v\n", cmd.CommandPath(), ce.err)
		}
		return ce.code
	}
	// cobra's own: an unknown command or flag, a bad flag value, wrong
	// arguments, a required flag missing.
	fmt.Fprintf(s.err, "%s: %v\nRun '%s --help' for usage.\n", cmd.CommandPath(), err, cmd.CommandPath())
	return exitUsage
}
