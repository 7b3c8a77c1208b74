package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/internal/buildinfo"
	"github.com/ecswin/ecswin/internal/cliout"
)

// versionInfo is `ecswinctl version -o json`.
type versionInfo struct {
	Version              string `json:"version"`
	Commit               string `json:"commit"`
	RouteBootstrapSHA256 string `json:"routeBootstrapSHA256"`
}

func newVersionCommand(s streams) *cobra.Command {
	var output *choiceValue
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the route-bootstrap.exe SHA-256 this build pins",
		Long: `Prints this build's release version and commit, and the SHA-256 of the
route-bootstrap.exe released with it: the hash the SSM document makes hosts
verify before every run, unless --bootstrap-sha256 names another. A plain
go build embeds none; make build and make release do.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if output.value == "json" {
				return cliout.WriteJSON(s.out, versionInfo{buildinfo.Version(), buildinfo.Commit(), buildinfo.RouteBootstrapSHA256()})
			}
			_, err := fmt.Fprint(s.out, buildinfo.String("ecswinctl"))
			return err
		},
	}
	output = newChoice("text", "text", "json")
	cmd.Flags().VarP(output, "output", "o", "output format")
	_ = cmd.RegisterFlagCompletionFunc("output", output.complete)
	return cmd
}
