package policyfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// Parse decodes a file that must hold exactly one FleetPolicy; a file
// with several is refused, never silently cut to its first.
func Parse(raw []byte) (*v1alpha1.FleetPolicy, error) {
	ps, err := ParseAll(raw)
	if err != nil {
		return nil, err
	}
	if len(ps) > 1 {
		return nil, &Error{Path: "policy", Problems: []string{fmt.Sprintf(
			"holds %d FleetPolicies (%s) where one is expected: put each in its own file", len(ps), strings.Join(Names(ps), ", "))}}
	}
	return ps[0], nil
}

// ParseAll decodes every FleetPolicy in raw: YAML documents separated by
// "---", or a List of them as `kubectl get fleetpolicies -o yaml` prints
// it. Each is defaulted and validated as the API server would; problems
// name the document they are in when there is more than one.
func ParseAll(raw []byte) ([]*v1alpha1.FleetPolicy, error) {
	docs, err := splitDocuments(raw)
	if err != nil {
		return nil, &Error{Path: "policy", Problems: []string{err.Error()}}
	}
	if len(docs) == 0 {
		return nil, &Error{Path: "policy", Problems: []string{"holds no FleetPolicy: expected apiVersion, kind, metadata and spec"}}
	}
	var (
		out      []*v1alpha1.FleetPolicy
		problems []string
		seen     = map[string]int{}
	)
	for i, doc := range docs {
		where := ""
		if len(docs) > 1 {
			where = fmt.Sprintf("document %d: ", i+1)
		}
		p, err := parseDocument(doc)
		var perr *Error
		switch {
		case errors.As(err, &perr):
			for _, pr := range perr.Problems {
				problems = append(problems, where+pr)
			}
			continue
		case err != nil:
			return nil, err
		}
		key := p.Namespace + "/" + p.Name
		if first, dup := seen[key]; dup {
			problems = append(problems, fmt.Sprintf("%snames policy %q again (document %d has it): names must be unique", where, p.Name, first))
			continue
		}
		seen[key] = i + 1
		out = append(out, p)
	}
	if len(problems) > 0 {
		return nil, &Error{Path: "policy", Problems: problems}
	}
	return out, nil
}

// LoadAll reads every FleetPolicy in the file at path.
func LoadAll(path string) ([]*v1alpha1.FleetPolicy, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading policy: %w", err)
	}
	return ParseNamed(raw, path)
}

// ParseNamed is ParseAll for input called name in its errors (a file's
// path, "stdin").
func ParseNamed(raw []byte, name string) ([]*v1alpha1.FleetPolicy, error) {
	ps, err := ParseAll(raw)
	var perr *Error
	if errors.As(err, &perr) {
		perr.Path = name
	}
	return ps, err
}

// Names lists the policies' names, in file order.
func Names(ps []*v1alpha1.FleetPolicy) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// splitDocuments cuts raw into its YAML documents, skipping empty ones
// (comments only), and opens a List into its items.
func splitDocuments(raw []byte) ([][]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(raw)))
	var out [][]byte
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not valid YAML: %w", err)
		}
		var probe struct {
			Kind  string            `json:"kind"`
			Items []json.RawMessage `json:"items"`
		}
		if err := yaml.Unmarshal(doc, &probe); err != nil {
			// parseDocument says what is wrong with it, with context.
			out = append(out, doc)
			continue
		}
		switch {
		case probe.Kind == "List":
			for _, item := range probe.Items {
				out = append(out, []byte(item))
			}
		case isEmpty(doc):
		default:
			out = append(out, doc)
		}
	}
}

// isEmpty: nothing but comments and blank lines.
func isEmpty(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}
