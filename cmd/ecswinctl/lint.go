package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/cliout"
)

var lintCommand = subcommand{
	name:    "lint",
	summary: "check task-definition JSON files for R5 (task role), R6 (host port 80) and the awsvpc hint; exit 0 clean, 1 findings, 2 error",
	run:     runLint,
}

// lintFinding is one finding in one file.
type lintFinding struct {
	File string `json:"file"`
	cliout.Finding
}

func runLint(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "table", "output format: table or json")
	exempt := fs.String("exempt-family", "", "a task-definition family whose host port 80 is known and accepted (as spec.port80.exemptFamilies)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ecswinctl lint [-o table|json] TASKDEF.json...")
		fmt.Fprintln(stderr, "\nEach file is the output of `aws ecs describe-task-definition` or a register-task-definition")
		fmt.Fprintln(stderr, "input. The rules assume Windows container instances with task roles on. Exit code: 0 clean")
		fmt.Fprintln(stderr, "(hints allowed), 1 warnings or errors found, 2 a file could not be read.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitFailed
	}
	if fs.NArg() == 0 || (*output != "table" && *output != "json") {
		fs.Usage()
		return exitFailed
	}
	port80 := v1alpha1.Port80Spec{Mode: v1alpha1.Port80Report}
	if *exempt != "" {
		port80.ExemptFamilies = []string{*exempt}
	}
	var found []lintFinding
	code := exitClean
	for _, path := range fs.Args() {
		td, err := readTaskDefinition(path)
		if err != nil {
			fmt.Fprintf(stderr, "ecswinctl lint: %s: %v\n", path, err)
			code = exitFailed
			continue
		}
		fs := audit.JudgeTaskDefinition(audit.StandaloneUse(td), audit.Input{Port80: port80})
		audit.Sort(fs)
		for _, f := range cliout.FindingsJSON(fs) {
			if td.Revision == 0 {
				f.TaskDefinition = td.Family // a register input has no revision yet
			}
			found = append(found, lintFinding{File: path, Finding: f})
		}
		if code == exitClean && cliout.CountBySeverity(fs, audit.SeverityWarning) > 0 {
			code = exitFindings
		}
	}
	if err := printLint(stdout, *output, found); err != nil {
		fmt.Fprintf(stderr, "ecswinctl lint: writing output: %v\n", err)
		return exitFailed
	}
	return code
}

func printLint(w io.Writer, format string, found []lintFinding) error {
	if format == "json" {
		if found == nil {
			found = []lintFinding{}
		}
		return cliout.WriteJSON(w, found)
	}
	rows := make([][]string, 0, len(found))
	for _, f := range found {
		rows = append(rows, []string{f.File, f.TaskDefinition, f.Severity, f.Rule, f.Reason, f.Message})
	}
	return cliout.Table(w, cliout.StyleFor(w), []string{"FILE", "TASK DEFINITION", "SEVERITY", "RULE", "REASON", "WHAT TO DO"}, rows)
}
