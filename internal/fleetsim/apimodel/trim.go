package apimodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Trim keeps of full only what the simulator enforces: the named
// operations with their inputs and every shape those inputs reach.
// Outputs and errors are left out; the conformance test reads them from
// the installed model itself.
func Trim(full *Model, ops []string, src Source) (*Model, error) {
	out := &Model{Source: &src, Metadata: full.Metadata, Operations: map[string]Operation{}, Shapes: map[string]*Shape{}}
	for _, name := range ops {
		op, ok := full.Operations[name]
		if !ok {
			return nil, fmt.Errorf("the %s model has no operation %s", full.Metadata.ServiceID, name)
		}
		if op.Input == nil {
			out.Operations[name] = Operation{}
			continue
		}
		out.Operations[name] = Operation{Input: &Ref{Shape: op.Input.Shape}}
		if err := reach(full, op.Input.Shape, out.Shapes); err != nil {
			return nil, fmt.Errorf("operation %s: %w", name, err)
		}
	}
	return out, nil
}

// Reachable is full with only the shapes reachable from roots (its
// operations unchanged), so that rules compile for the part of a large
// model a test checks answers against.
func Reachable(full *Model, roots []string) (*Model, error) {
	out := *full
	out.Shapes = map[string]*Shape{}
	for _, r := range roots {
		if err := reach(full, r, out.Shapes); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// reach copies name and every shape it refers to into into.
func reach(m *Model, name string, into map[string]*Shape) error {
	if into[name] != nil {
		return nil
	}
	s, err := m.Shape(name)
	if err != nil {
		return err
	}
	into[name] = s
	for _, ref := range s.refs() {
		if err := reach(m, ref, into); err != nil {
			return err
		}
	}
	return nil
}

// refs lists the shapes s refers to, members in name order.
func (s *Shape) refs() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(s.Members)) {
		out = append(out, s.Members[k].Shape)
	}
	for _, r := range []*Ref{s.Member, s.Key, s.Value} {
		if r != nil {
			out = append(out, r.Shape)
		}
	}
	return out
}

// Encode writes m as the generated files hold it: indented, keys sorted,
// so a regeneration from the same model is byte-identical.
func Encode(m *Model) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encoding service model: %w", err)
	}
	return buf.Bytes(), nil
}
