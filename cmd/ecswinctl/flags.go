package main

import (
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// Flag values that check themselves, so a bad one is refused before a
// command runs, with a message naming the flag, what it accepts and why.

// choiceValue is a string that must be one of a fixed set.
type choiceValue struct {
	value   string
	allowed []string
}

func newChoice(def string, allowed ...string) *choiceValue {
	return &choiceValue{value: def, allowed: allowed}
}

func (c *choiceValue) String() string { return c.value }
func (c *choiceValue) Type() string   { return strings.Join(c.allowed, "|") }
func (c *choiceValue) Set(v string) error {
	if !slices.Contains(c.allowed, v) {
		return fmt.Errorf("must be one of %s", strings.Join(c.allowed, ", "))
	}
	c.value = v
	return nil
}

// complete offers the choices to shell completion.
func (c *choiceValue) complete(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return c.allowed, cobra.ShellCompDirectiveNoFileComp
}

// outputFlag adds -o/--output table|json.
func outputFlag(cmd *cobra.Command) *choiceValue {
	o := newChoice("table", "table", "json")
	cmd.Flags().VarP(o, "output", "o", "output format: table for people, json for scripts (the contract is in the README)")
	_ = cmd.RegisterFlagCompletionFunc("output", o.complete)
	return o
}

// fractionValue is a number from 0 to 1; unset until Set, so it can
// override a scenario only when given.
type fractionValue struct {
	value float64
	set   bool
}

func (f *fractionValue) Type() string { return "fraction" }
func (f *fractionValue) String() string {
	if !f.set {
		return ""
	}
	return strconv.FormatFloat(f.value, 'g', -1, 64)
}
func (f *fractionValue) Set(v string) error {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || x > 1 {
		return fmt.Errorf("must be a fraction from 0 to 1 (0.05 is one call in 20)")
	}
	f.value, f.set = x, true
	return nil
}

// durationValue is a duration of at least min; optional ones are unset
// until Set and then print no default.
type durationValue struct {
	value    time.Duration
	min      time.Duration
	optional bool
	set      bool
}

func (d *durationValue) Type() string { return "duration" }
func (d *durationValue) String() string {
	if d.optional && !d.set {
		return ""
	}
	return d.value.String()
}
func (d *durationValue) Set(v string) error {
	x, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return fmt.Errorf("must be a duration such as 90s, 5m or 1h30m")
	case x < d.min && d.min == 0:
		return fmt.Errorf("must not be negative")
	case x < d.min:
		return fmt.Errorf("must be at least %s", d.min)
	}
	d.value, d.set = x, true
	return nil
}

// addressValue is host:port to listen on, or "0" where off is allowed.
type addressValue struct {
	value     string
	offIsZero bool
}

func (a *addressValue) Type() string   { return "host:port" }
func (a *addressValue) String() string { return a.value }
func (a *addressValue) Set(v string) error {
	if a.offIsZero && v == "0" {
		a.value = v
		return nil
	}
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("must be host:port, such as 127.0.0.1:9090 (port 0 picks a free one)")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q must be a number from 0 to 65535", port)
	}
	a.value = v
	return nil
}

// scenarioValue is a built-in scenario's name or a scenario file.
type scenarioValue struct{ value string }

func (s *scenarioValue) Type() string   { return "NAME|FILE" }
func (s *scenarioValue) String() string { return s.value }
func (s *scenarioValue) Set(v string) error {
	if !slices.Contains(scenario.BuiltinNames(), v) {
		if _, err := os.Stat(v); err != nil {
			return fmt.Errorf("neither a built-in scenario (%s) nor a readable file: %w", strings.Join(scenario.BuiltinNames(), ", "), err)
		}
	}
	s.value = v
	return nil
}

// scenarioFlag adds --scenario, completing the built-in names and files.
func scenarioFlag(cmd *cobra.Command, help string) *scenarioValue {
	s := &scenarioValue{value: "demo"}
	cmd.Flags().Var(s, "scenario", help+" (built-in: "+strings.Join(scenario.BuiltinNames(), ", ")+"; or a scenario YAML file)")
	_ = cmd.RegisterFlagCompletionFunc("scenario", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return scenario.BuiltinNames(), cobra.ShellCompDirectiveDefault
	})
	return s
}

// policyFlag adds the required --policy FILE (- is standard input).
func policyFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVarP(path, "policy", "f", "", "FleetPolicy YAML `FILE`, as for kubectl apply (see config/samples); - reads standard input")
	_ = cmd.MarkFlagRequired("policy")
	_ = cmd.MarkFlagFilename("policy", "yaml", "yml", "json")
}

var _ pflag.Value = (*choiceValue)(nil)
var _ pflag.Value = (*fractionValue)(nil)
var _ pflag.Value = (*durationValue)(nil)
var _ pflag.Value = (*addressValue)(nil)
var _ pflag.Value = (*scenarioValue)(nil)
