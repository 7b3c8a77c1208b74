package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/cliout"
	"github.com/ecswin/ecswin/internal/inventory"
)

type lintOptions struct {
	output *choiceValue
	exempt []string
}

func newLintCommand(s streams) *cobra.Command {
	var o lintOptions
	cmd := &cobra.Command{
		Use:   "lint TASKDEF.json...",
		Short: "Check task-definition files for R5 (task role), R6 (host port 80) and the awsvpc hint",
		Long: `Applies the audit's task-definition rules to files as
aws ecs describe-task-definition prints them or as
register-task-definition --cli-input-json takes them ("-" reads standard
input), assuming Windows container instances with task roles on: R5 task
role, R6 host port 80 (network-mode aware, UDP ignored) and the awsvpc hint.
Good in CI before a task definition is registered.

Exit code: 0 clean (hints allowed), 1 warnings or errors found, 2 a file
could not be read (the others are still checked). With -o json, stdout
holds one LintReport; its "error" is set exactly when the exit code is 2.`,
		Example: `  ecswinctl lint legacy-iis.json web.json
  aws ecs describe-task-definition --task-definition web | ecswinctl lint - -o json
  ecswinctl lint --exempt-family legacy-iis --exempt-family intranet *.json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("give at least one task-definition file (- reads standard input)")
			}
			stdin := 0
			for _, a := range args {
				if a == "-" {
					stdin++
				}
			}
			if stdin > 1 {
				return fmt.Errorf(`"-" is given %d times: standard input can be read once`, stdin)
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"json"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(_ *cobra.Command, args []string) error {
			return exitWith(runLint(o, args, s))
		},
	}
	o.output = outputFlag(cmd)
	cmd.Flags().StringSliceVar(&o.exempt, "exempt-family", nil,
		"a task-definition family whose host port 80 is known and accepted, as spec.port80.exemptFamilies (repeat it, or separate families with commas)")
	return cmd
}

func runLint(o lintOptions, paths []string, s streams) int {
	port80 := v1alpha1.Port80Spec{Mode: v1alpha1.Port80Report, ExemptFamilies: o.exempt}
	rep := cliout.NewLintReport()
	for _, path := range paths {
		name := displayPath(path)
		td, err := readTaskDefinition(path, s.in)
		if err != nil {
			fmt.Fprintf(s.err, "ecswinctl lint: %s: %v\n", name, err)
			rep.Files = append(rep.Files, cliout.LintFile{Path: name, Error: err.Error()})
			continue
		}
		rep.Files = append(rep.Files, cliout.LintFile{Path: name, TaskDefinition: taskDefinitionName(td)})
		for _, f := range cliout.FindingsJSON(lintRules(td, port80)) {
			f.File = name
			f.TaskDefinition = taskDefinitionName(td)
			rep.Findings = append(rep.Findings, f)
		}
	}
	code := rep.Finish()
	if err := printLint(s.out, o.output.value, rep); err != nil {
		fmt.Fprintf(s.err, "ecswinctl lint: writing output: %v\n", err)
		return cliout.ExitFailed
	}
	return code
}

// lintRules are the audit's task-definition rules, for a Windows cluster
// with task roles on.
func lintRules(td *inventory.TaskDefinition, port80 v1alpha1.Port80Spec) []audit.Finding {
	fs := audit.JudgeTaskDefinition(audit.StandaloneUse(td), audit.Input{Port80: port80})
	audit.Sort(fs)
	return fs
}

// taskDefinitionName is family:revision, or the family alone for a
// register input, which has no revision yet.
func taskDefinitionName(td *inventory.TaskDefinition) string {
	if td.Revision == 0 {
		return td.Family
	}
	return td.Name()
}

func printLint(w io.Writer, format string, rep *cliout.LintReport) error {
	if format == "json" {
		return cliout.WriteJSON(w, rep)
	}
	st := cliout.StyleFor(w)
	rows := make([][]string, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		rows = append(rows, []string{f.File, f.TaskDefinition, severityCell(st, f.Severity), f.Rule, f.Reason, f.Message})
	}
	return cliout.Table(w, st, []string{"FILE", "TASK DEFINITION", "SEVERITY", "RULE", "REASON", "WHAT TO DO"}, rows)
}

// severityCell colours a severity as the JSON spells it.
func severityCell(st cliout.Style, name string) string {
	for _, s := range []audit.Severity{audit.SeverityError, audit.SeverityWarning, audit.SeverityHint} {
		if cliout.SeverityName(s) == name {
			return cliout.SeverityCell(st, s)
		}
	}
	return name
}
