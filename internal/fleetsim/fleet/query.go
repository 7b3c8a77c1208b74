package fleet

import (
	"fmt"
	"strings"
)

// Filter is a compiled cluster query expression.
type Filter func(*Instance) bool

// ParseFilter compiles the subset of ECS's cluster query language that
// selects container instances by attribute:
//
//	attribute:<name> == <value>     attribute:<name> != <value>
//	attribute:<name> exists         attribute:<name> not_exists
//	attribute:<name> in [<v1>, <v2>]
//
// joined with "and"/"&&" and "or"/"||" ("and" binds tighter). An empty
// expression matches everything.
func ParseFilter(expr string) (Filter, error) {
	toks, err := tokenize(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return func(*Instance) bool { return true }, nil
	}
	var ors [][]Filter
	var ands []Filter
	for len(toks) > 0 {
		term, rest, err := parseTerm(toks)
		if err != nil {
			return nil, err
		}
		ands = append(ands, term)
		toks = rest
		if len(toks) == 0 {
			break
		}
		switch strings.ToLower(toks[0]) {
		case "and", "&&":
		case "or", "||":
			ors = append(ors, ands)
			ands = nil
		default:
			return nil, fmt.Errorf("expected and/or, found %q", toks[0])
		}
		toks = toks[1:]
		if len(toks) == 0 {
			return nil, fmt.Errorf("expression ends after an operator")
		}
	}
	ors = append(ors, ands)
	return func(i *Instance) bool {
		for _, conj := range ors {
			all := true
			for _, f := range conj {
				if !f(i) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
		return false
	}, nil
}

func parseTerm(toks []string) (Filter, []string, error) {
	name, ok := strings.CutPrefix(toks[0], "attribute:")
	if !ok || name == "" {
		return nil, nil, fmt.Errorf("expected attribute:<name>, found %q", toks[0])
	}
	if len(toks) < 2 {
		return nil, nil, fmt.Errorf("attribute:%s needs an operator", name)
	}
	op := strings.ToLower(toks[1])
	switch op {
	case "exists":
		return func(i *Instance) bool { _, ok := i.Attr(name); return ok }, toks[2:], nil
	case "not_exists":
		return func(i *Instance) bool { _, ok := i.Attr(name); return !ok }, toks[2:], nil
	}
	if len(toks) < 3 {
		return nil, nil, fmt.Errorf("attribute:%s %s needs a value", name, op)
	}
	value := unquote(toks[2])
	rest := toks[3:]
	switch op {
	case "==":
		return func(i *Instance) bool { v, ok := i.Attr(name); return ok && v == value }, rest, nil
	case "!=":
		return func(i *Instance) bool { v, ok := i.Attr(name); return !ok || v != value }, rest, nil
	case "in", "not_in":
		list := strings.Trim(toks[2], "[]()")
		set := map[string]bool{}
		for _, v := range strings.Split(list, ",") {
			set[unquote(strings.TrimSpace(v))] = true
		}
		want := op == "in"
		return func(i *Instance) bool { v, ok := i.Attr(name); return (ok && set[v]) == want }, rest, nil
	}
	return nil, nil, fmt.Errorf("unsupported operator %q", toks[1])
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// tokenize splits on spaces, keeping a bracketed list as one token.
func tokenize(expr string) ([]string, error) {
	var toks []string
	for s := strings.TrimSpace(expr); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '[' || s[0] == '(' {
			closer := map[byte]byte{'[': ']', '(': ')'}[s[0]]
			end := strings.IndexByte(s, closer)
			if end < 0 {
				return nil, fmt.Errorf("unclosed list in %q", expr)
			}
			toks = append(toks, s[:end+1])
			s = s[end+1:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		toks = append(toks, s[:end])
		s = s[end:]
	}
	return toks, nil
}
