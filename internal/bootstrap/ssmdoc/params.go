package ssmdoc

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
)

// parameter is one entry of the document's parameters.
type parameter struct {
	Type           string   `json:"type"`
	Default        *string  `json:"default"`
	AllowedValues  []string `json:"allowedValues"`
	AllowedPattern string   `json:"allowedPattern"`
	pattern        *regexp.Regexp
}

type document struct {
	SchemaVersion string                `json:"schemaVersion"`
	Parameters    map[string]*parameter `json:"parameters"`
	MainSteps     []struct {
		Action string `json:"action"`
		Name   string `json:"name"`
		Inputs struct {
			TimeoutSeconds string   `json:"timeoutSeconds"`
			RunCommand     []string `json:"runCommand"`
		} `json:"inputs"`
	} `json:"mainSteps"`
}

// parsed is the embedded document, parsed once; a broken document is a
// build defect caught by the package's tests.
var parsed, parseErr = parseDocument(content)

func parseDocument(data []byte) (*document, error) {
	var d document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("parsing SSM document: %w", err)
	}
	for name, p := range d.Parameters {
		re, err := regexp.Compile(p.AllowedPattern)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: allowedPattern: %w", name, err)
		}
		p.pattern = re
	}
	return &d, nil
}

// value returns the parameter's single value (or its default) once it
// passes the document's own allowedPattern and allowedValues, as SSM
// checks them.
func (d *document) value(params map[string][]string, name string) (string, error) {
	p, ok := d.Parameters[name]
	if !ok {
		return "", fmt.Errorf("parameter %s is not in the document", name)
	}
	vals, given := params[name]
	var v string
	switch {
	case given && len(vals) == 1:
		v = vals[0]
	case given:
		return "", fmt.Errorf("parameter %s: want one value, got %d", name, len(vals))
	case p.Default != nil:
		v = *p.Default
	default:
		return "", fmt.Errorf("parameter %s is required", name)
	}
	if p.pattern == nil || !p.pattern.MatchString(v) {
		return "", fmt.Errorf("parameter %s: value %q does not match %s", name, v, p.AllowedPattern)
	}
	if len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, v) {
		return "", fmt.Errorf("parameter %s: value %q is not one of %s", name, v, strings.Join(p.AllowedValues, ", "))
	}
	return v, nil
}

// HostArgs maps SendCommand parameters to route-bootstrap's arguments
// exactly as the document's script does, after the checks SSM itself makes
// (unknown names, allowedPattern, allowedValues, required values).
func HostArgs(params map[string][]string) ([]string, error) {
	if parseErr != nil {
		return nil, parseErr
	}
	for name := range params {
		if _, ok := parsed.Parameters[name]; !ok {
			return nil, fmt.Errorf("unknown parameter %s", name)
		}
	}
	v := make(map[string]string, len(parsed.Parameters))
	for name := range parsed.Parameters {
		val, err := parsed.value(params, name)
		if err != nil {
			return nil, err
		}
		v[name] = val
	}
	args := []string{"host", cli.FlagFormat, "json"}
	if v[ParamCheck] == "true" {
		args = append(args, cli.FlagCheck)
	}
	if v[ParamRepairProxy] == "true" {
		args = append(args, cli.FlagRepairProxy)
	}
	timeout, err := strconv.Atoi(v[ParamExecutionTimeout])
	if err != nil {
		return nil, fmt.Errorf("parameter %s: %w", ParamExecutionTimeout, err)
	}
	return append(args, cli.FlagAdapterPattern, v[ParamAdapterPattern], cli.FlagDestinations, v[ParamDestinations],
		cli.FlagTimeout, strconv.Itoa(int(RunTimeout(timeout).Seconds()))+"s"), nil
}
