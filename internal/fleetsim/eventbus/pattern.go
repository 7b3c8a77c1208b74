package eventbus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Pattern is a compiled EventBridge event pattern: an object whose keys
// name event fields and whose values are either nested patterns or
// arrays of accepted values and content filters ("prefix", "suffix",
// "anything-but", "exists", "equals-ignore-case", "wildcard",
// "numeric"), with "$or" between alternatives, as EventBridge's user
// guide describes them. A pattern using anything else does not compile,
// so a rule the simulator cannot judge is refused, not ignored.
type Pattern struct {
	fields map[string]*node
	or     [][]*Pattern // each $or: at least one alternative matches
}

// node matches one field: a nested pattern, or a list of matchers.
type node struct {
	nested   *Pattern
	matchers []matcher
}

// matcher judges one leaf value; present is false for an absent field.
type matcher func(v any, present bool) bool

// Compile parses an event pattern (JSON).
func Compile(raw []byte) (*Pattern, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("event pattern: %w", err)
	}
	if len(tree) == 0 {
		return nil, fmt.Errorf("event pattern: empty")
	}
	return compileObject(tree, "")
}

func compileObject(obj map[string]any, at string) (*Pattern, error) {
	p := &Pattern{fields: map[string]*node{}}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		where := strings.TrimPrefix(at+"."+key, ".")
		if key == "$or" {
			alts, ok := obj[key].([]any)
			if !ok || len(alts) < 2 {
				return nil, fmt.Errorf("event pattern %s: $or takes an array of at least two patterns", where)
			}
			var group []*Pattern
			for _, alt := range alts {
				o, ok := alt.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("event pattern %s: $or takes objects", where)
				}
				sub, err := compileObject(o, at)
				if err != nil {
					return nil, err
				}
				group = append(group, sub)
			}
			p.or = append(p.or, group)
			continue
		}
		switch v := obj[key].(type) {
		case map[string]any:
			sub, err := compileObject(v, where)
			if err != nil {
				return nil, err
			}
			p.fields[key] = &node{nested: sub}
		case []any:
			if len(v) == 0 {
				return nil, fmt.Errorf("event pattern %s: an empty array matches nothing", where)
			}
			n := &node{}
			for _, e := range v {
				m, err := compileMatcher(e, where)
				if err != nil {
					return nil, err
				}
				n.matchers = append(n.matchers, m)
			}
			p.fields[key] = n
		default:
			return nil, fmt.Errorf("event pattern %s: values must be arrays or objects, not %v", where, v)
		}
	}
	return p, nil
}

func compileMatcher(e any, where string) (matcher, error) {
	obj, isFilter := e.(map[string]any)
	if !isFilter {
		return func(v any, present bool) bool { return present && equal(v, e) }, nil
	}
	if len(obj) != 1 {
		return nil, fmt.Errorf("event pattern %s: a content filter has exactly one key", where)
	}
	for op, arg := range obj {
		switch op {
		case "prefix", "suffix", "equals-ignore-case", "wildcard":
			return stringFilter(op, arg, where)
		case "exists":
			want, ok := arg.(bool)
			if !ok {
				return nil, fmt.Errorf("event pattern %s: exists takes true or false", where)
			}
			return func(v any, present bool) bool { return present == want }, nil
		case "anything-but":
			return anythingBut(arg, where)
		case "numeric":
			return numeric(arg, where)
		}
		return nil, fmt.Errorf("event pattern %s: the simulator does not judge the %q filter", where, op)
	}
	return nil, nil // unreachable: one key
}

func stringFilter(op string, arg any, where string) (matcher, error) {
	want, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("event pattern %s: %s takes a string", where, op)
	}
	test := map[string]func(string) bool{
		"prefix":             func(s string) bool { return strings.HasPrefix(s, want) },
		"suffix":             func(s string) bool { return strings.HasSuffix(s, want) },
		"equals-ignore-case": func(s string) bool { return strings.EqualFold(s, want) },
		"wildcard":           func(s string) bool { return wildcard(want, s) },
	}[op]
	return func(v any, present bool) bool {
		s, ok := v.(string)
		return present && ok && test(s)
	}, nil
}

func anythingBut(arg any, where string) (matcher, error) {
	if obj, ok := arg.(map[string]any); ok {
		inner, err := compileMatcher(obj, where)
		if err != nil {
			return nil, err
		}
		return func(v any, present bool) bool { return present && !inner(v, present) }, nil
	}
	values, ok := arg.([]any)
	if !ok {
		values = []any{arg}
	}
	return func(v any, present bool) bool {
		return present && !slices.ContainsFunc(values, func(x any) bool { return equal(v, x) })
	}, nil
}

func numeric(arg any, where string) (matcher, error) {
	terms, ok := arg.([]any)
	if !ok || len(terms) == 0 || len(terms)%2 != 0 {
		return nil, fmt.Errorf("event pattern %s: numeric takes pairs of an operator and a number", where)
	}
	type cmp struct {
		op string
		n  float64
	}
	var cs []cmp
	for i := 0; i < len(terms); i += 2 {
		op, _ := terms[i].(string)
		num, ok := terms[i+1].(json.Number)
		f, err := num.Float64()
		if !ok || err != nil || !slices.Contains([]string{"<", "<=", "=", ">=", ">"}, op) {
			return nil, fmt.Errorf("event pattern %s: numeric takes pairs of an operator and a number", where)
		}
		cs = append(cs, cmp{op, f})
	}
	return func(v any, present bool) bool {
		num, ok := v.(json.Number)
		if !present || !ok {
			return false
		}
		f, err := num.Float64()
		if err != nil {
			return false
		}
		for _, c := range cs {
			if !map[string]bool{"<": f < c.n, "<=": f <= c.n, "=": f == c.n, ">=": f >= c.n, ">": f > c.n}[c.op] {
				return false
			}
		}
		return true
	}, nil
}

// equal compares a leaf of the event with a value of the pattern:
// strings and booleans exactly, numbers by value, null with null.
func equal(v, want any) bool {
	if a, ok := v.(json.Number); ok {
		b, ok := want.(json.Number)
		if !ok {
			return false
		}
		fa, err1 := a.Float64()
		fb, err2 := b.Float64()
		return err1 == nil && err2 == nil && fa == fb
	}
	return v == want
}

// Match tells whether the event (decoded with UseNumber) matches.
func (p *Pattern) Match(event map[string]any) bool {
	for key, n := range p.fields {
		v, present := event[key]
		if !n.match(v, present) {
			return false
		}
	}
	for _, group := range p.or {
		if !slices.ContainsFunc(group, func(alt *Pattern) bool { return alt.Match(event) }) {
			return false
		}
	}
	return true
}

func (n *node) match(v any, present bool) bool {
	if n.nested != nil {
		// An array of objects matches when any of them does.
		if arr, ok := v.([]any); ok {
			return slices.ContainsFunc(arr, func(e any) bool {
				obj, ok := e.(map[string]any)
				return ok && n.nested.Match(obj)
			})
		}
		obj, ok := v.(map[string]any)
		return ok && n.nested.Match(obj)
	}
	// An array in the event matches when any element does.
	values := []any{v}
	if arr, ok := v.([]any); ok && present {
		values = arr
		if len(arr) == 0 {
			values = []any{nil}
			present = false
		}
	}
	for _, m := range n.matchers {
		for _, x := range values {
			if m(x, present) {
				return true
			}
		}
	}
	return false
}

// wildcard matches s against a pattern where * stands for any run of
// characters (EventBridge's wildcard filter; \* is a literal star).
func wildcard(pattern, s string) bool {
	parts := strings.Split(strings.ReplaceAll(pattern, `\*`, "\x00"), "*")
	for i := range parts {
		parts[i] = strings.ReplaceAll(parts[i], "\x00", "*")
	}
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}
