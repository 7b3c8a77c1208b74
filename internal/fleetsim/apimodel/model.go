// Package apimodel holds the constraints of AWS's own service models
// (botocore's service-2.json for ECS and SSM) for the operations the
// simulator serves, and checks request bodies against them before any
// service logic runs: member names (exactly, as AWS matches them), JSON
// types, required members, lengths, patterns, ranges, enums and list
// limits.
//
// The rules are generated from botocore's JSON by `go generate` into
// ecs.json and ssm.json (the served operations' input shapes only) and
// embedded, so the simulator needs no botocore at run time; the
// conformance test in package fleetsim checks the simulator against
// whatever botocore models are installed, and TestEmbeddedMatchesInstalled
// checks the generated files against the model they came from.
package apimodel

//go:generate go run ./gen

import (
	"encoding/json"
	"fmt"
)

// Model is the part of a botocore service model the simulator and its
// tests read. The generated files use the same format, trimmed.
type Model struct {
	// Source says which botocore model a generated file was cut from.
	Source     *Source              `json:"source,omitempty"`
	Metadata   Metadata             `json:"metadata"`
	Operations map[string]Operation `json:"operations"`
	Shapes     map[string]*Shape    `json:"shapes"`
}

// Source identifies the model a generated file was trimmed from.
type Source struct {
	Botocore string `json:"botocore"`
	// SHA256 is the digest of the uncompressed service-2.json.
	SHA256 string `json:"sha256"`
}

// Metadata is the service's protocol description.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	EndpointPrefix string `json:"endpointPrefix"`
	JSONVersion    string `json:"jsonVersion"`
	Protocol       string `json:"protocol"`
	ServiceID      string `json:"serviceId"`
	TargetPrefix   string `json:"targetPrefix"`
}

// Operation names an operation's shapes.
type Operation struct {
	Input  *Ref  `json:"input,omitempty"`
	Output *Ref  `json:"output,omitempty"`
	Errors []Ref `json:"errors,omitempty"`
}

// Ref points at a shape by name.
type Ref struct {
	Shape string `json:"shape"`
}

// Shape is a botocore shape: its type and its constraints.
type Shape struct {
	Type     string          `json:"type"`
	Members  map[string]*Ref `json:"members,omitempty"`
	Required []string        `json:"required,omitempty"`
	Member   *Ref            `json:"member,omitempty"` // list element
	Key      *Ref            `json:"key,omitempty"`    // map key
	Value    *Ref            `json:"value,omitempty"`  // map value
	// Min and Max bound a string's length, a list's or map's size, or a
	// number's value, as in the model.
	Min     *json.Number `json:"min,omitempty"`
	Max     *json.Number `json:"max,omitempty"`
	Pattern string       `json:"pattern,omitempty"`
	Enum    []string     `json:"enum,omitempty"`
	// Exception marks error shapes; Error may rename their code.
	Exception bool       `json:"exception,omitempty"`
	Error     *ErrorInfo `json:"error,omitempty"`
	Document  bool       `json:"document,omitempty"`
}

// ErrorInfo is an error shape's wire code when it differs from its name.
type ErrorInfo struct {
	Code string `json:"code,omitempty"`
}

// Parse reads a botocore service-2.json or a generated file.
func Parse(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parsing service model: %w", err)
	}
	if len(m.Shapes) == 0 || len(m.Operations) == 0 {
		return nil, fmt.Errorf("parsing service model: no operations or shapes")
	}
	for name, s := range m.Shapes {
		if s == nil {
			return nil, fmt.Errorf("parsing service model: shape %s is empty", name)
		}
	}
	return &m, nil
}

// ErrorCode is the code an error shape is answered with.
func (m *Model) ErrorCode(shape string) string {
	if s := m.Shapes[shape]; s != nil && s.Error != nil && s.Error.Code != "" {
		return s.Error.Code
	}
	return shape
}

// Shape returns the named shape, or an error naming it.
func (m *Model) Shape(name string) (*Shape, error) {
	s := m.Shapes[name]
	if s == nil {
		return nil, fmt.Errorf("service model %s has no shape %s", m.Metadata.ServiceID, name)
	}
	return s, nil
}
