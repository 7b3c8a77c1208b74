package apimodel

import (
	"embed"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Rules are one service's constraints, ready to check: the model's
// (trimmed to the served operations) with the documented limits applied
// and every pattern compiled.
type Rules struct {
	Model *Model
	match map[string]func(string) bool
	// members lists each structure's members in name order, the order
	// the checker visits (and reports) them in.
	members map[string][]string
}

func newRules(m *Model) *Rules {
	r := &Rules{Model: m, match: map[string]func(string) bool{}, members: map[string][]string{}}
	for name, s := range m.Shapes {
		if s.Type == "structure" {
			r.members[name] = slices.Sorted(maps.Keys(s.Members))
		}
	}
	return r
}

// Set holds the rules of each served service, by Service.Name.
type Set map[string]*Rules

// NewRules compiles m, applying the documented limits of its service.
func NewRules(m *Model) (*Rules, error) {
	amended, err := amend(m, documented[m.Metadata.EndpointPrefix])
	if err != nil {
		return nil, err
	}
	r := newRules(amended)
	for name, s := range amended.Shapes {
		if s.Pattern == "" || r.match[s.Pattern] != nil {
			continue
		}
		fn, err := compilePattern(s.Pattern)
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		r.match[s.Pattern] = fn
	}
	return r, nil
}

// NewAnswerRules compiles m for checking answers only (Answer mode),
// which holds members, types, enums and required members, not the
// lengths, patterns and ranges that constrain what clients send.
func NewAnswerRules(m *Model) *Rules { return newRules(m) }

// Input is the name of op's input shape ("" for an operation without
// input) and whether the rules know op at all.
func (r *Rules) Input(op string) (string, bool) {
	o, ok := r.Model.Operations[op]
	if !ok || o.Input == nil {
		return "", ok
	}
	return o.Input.Shape, true
}

// Matches tells whether v satisfies pattern as AWS applies it: found
// anywhere in v, since model patterns are not implicitly anchored.
func (r *Rules) Matches(pattern, v string) bool {
	fn := r.match[pattern]
	if fn == nil {
		var err error
		if fn, err = compilePattern(pattern); err != nil {
			return true // never reached: NewRules compiled every pattern
		}
	}
	return fn(v)
}

// amend applies limits to a copy of m: each limited member gets its own
// shape, a copy of its target with the limit's bounds, so shapes shared
// with other members keep the model's constraints.
func amend(m *Model, limits []Limit) (*Model, error) {
	out := *m
	out.Shapes = maps.Clone(m.Shapes)
	for _, l := range limits {
		parent, ok := out.Shapes[l.Shape]
		if !ok {
			continue // this model does not serve the limited shape
		}
		ref, ok := parent.Members[l.Member]
		if !ok {
			return nil, fmt.Errorf("documented limit on %s.%s: the model has no such member", l.Shape, l.Member)
		}
		p := *parent
		p.Members = maps.Clone(parent.Members)
		t := *out.Shapes[ref.Shape]
		if l.Min != "" {
			t.Min = number(l.Min)
		}
		if l.Max != "" {
			t.Max = number(l.Max)
		}
		if l.Pattern != "" {
			t.Pattern = l.Pattern
		}
		name := l.Shape + "$" + l.Member
		out.Shapes[name] = &t
		p.Members[l.Member] = &Ref{Shape: name}
		out.Shapes[l.Shape] = &p
	}
	return &out, nil
}

// beyondRE2 are model patterns Go's regexp cannot compile (Java
// lookaheads), with what they mean.
var beyondRE2 = map[string]func(string) bool{
	// AlarmName: not blank.
	`^(?!\s*$).+`: func(s string) bool { return strings.TrimSpace(s) != "" },
}

func compilePattern(p string) (func(string) bool, error) {
	if fn, ok := beyondRE2[p]; ok {
		return fn, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w (add its meaning to beyondRE2)", p, err)
	}
	return re.MatchString, nil
}

//go:embed ecs.json ssm.json sqs.json
var generated embed.FS

var embedded = sync.OnceValues(func() (Set, error) {
	set := Set{}
	for _, svc := range Served {
		raw, err := generated.ReadFile(svc.Name + ".json")
		if err != nil {
			return nil, fmt.Errorf("embedded rules: %w", err)
		}
		m, err := Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("embedded rules %s: %w", svc.Name, err)
		}
		if set[svc.Name], err = NewRules(m); err != nil {
			return nil, fmt.Errorf("embedded rules %s: %w", svc.Name, err)
		}
	}
	return set, nil
})

// Embedded returns the rules generated into this package. They are
// checked by its tests, so a failure to load them is a bug: it panics.
func Embedded() Set {
	set, err := embedded()
	if err != nil {
		panic(err)
	}
	return set
}

// EmbeddedSource says which botocore model the embedded rules of a
// service were generated from.
func EmbeddedSource(service string) Source {
	if r := Embedded()[service]; r != nil && r.Model.Source != nil {
		return *r.Model.Source
	}
	return Source{}
}
