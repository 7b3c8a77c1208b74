package fleetsim_test

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// inputGen builds request bodies from a service's rules: valid ones
// (every required member, optional ones by chance, values inside every
// constraint, live identifiers where a hint knows one) and invalid ones
// that break exactly one constraint of the model.
type inputGen struct {
	rules *apimodel.Rules
	rng   *rand.Rand
	// hint offers a live value for a member of an operation ("" member
	// names the op's input itself); ok false leaves it to the rules.
	hint func(op, member string) (any, bool)
	// include is how often a valid input carries an optional member.
	include func(member string) float64
	op      string
}

// maxDepth bounds how deep optional structure goes.
const maxDepth = 6

func (g *inputGen) shape(name string) *apimodel.Shape { return g.rules.Model.Shapes[name] }

// valid builds a value of the named shape for member; force lists the
// member path (see site.path) that must be present.
func (g *inputGen) valid(name, member string, depth int, force []string) any {
	if len(force) == 0 {
		if v, ok := g.hint(g.op, member); ok && g.fits(name, v) {
			return v
		}
	}
	s := g.shape(name)
	switch s.Type {
	case "structure":
		return g.structure(s, depth, force)
	case "list":
		n := g.count(s, 1, 2)
		if len(force) > 0 {
			n = max(n, 1)
			force = force[1:]
		}
		out := make([]any, n)
		for i := range out {
			f := force
			if i > 0 {
				f = nil
			}
			out[i] = g.valid(s.Member.Shape, member+"[]", depth+1, f)
		}
		return out
	case "map":
		n := g.count(s, 1, 2)
		if len(force) > 0 {
			n = max(n, 1)
			force = force[1:]
		}
		if enum := g.shape(s.Key.Shape).Enum; len(enum) > 0 {
			n = min(n, len(enum)) // keys are distinct
		}
		out := map[string]any{}
		for len(out) < n {
			k, _ := g.valid(s.Key.Shape, member+".key", depth+1, nil).(string)
			out[k] = g.valid(s.Value.Shape, member+"{}", depth+1, force)
		}
		return out
	case "string":
		return g.str(s)
	case "integer", "long":
		lo, hi := bounds(s, 1, 100)
		return json.Number(strconv.FormatInt(lo+g.rng.Int64N(hi-lo+1), 10))
	case "float", "double":
		lo, hi := bounds(s, 0, 1)
		return json.Number(strconv.FormatFloat(float64(lo)+g.rng.Float64()*float64(hi-lo), 'f', 3, 64))
	case "boolean":
		return g.rng.IntN(2) == 0
	case "timestamp":
		return json.Number(strconv.FormatInt(t0.Add(-time.Hour).Unix(), 10))
	case "blob":
		return "YQ=="
	}
	return map[string]any{} // a document
}

// fits tells whether a hinted value meets the shape's constraints (a
// hint must not break the model by accident).
func (g *inputGen) fits(name string, v any) bool {
	if v == nil {
		return true
	}
	vs, _ := g.rules.Check(name, v, apimodel.Request)
	return len(vs) == 0
}

func (g *inputGen) structure(s *apimodel.Shape, depth int, force []string) map[string]any {
	out := map[string]any{}
	for _, m := range sortedMembers(s) {
		onPath := len(force) > 0 && force[0] == m
		required := slices.Contains(s.Required, m)
		if !onPath && !required && (depth >= maxDepth || g.rng.Float64() >= g.include(m) || isToken(m)) {
			continue
		}
		var rest []string
		if onPath {
			rest = force[1:]
		}
		if v := g.valid(s.Members[m].Shape, m, depth+1, rest); v != nil {
			out[m] = v
		}
	}
	return out
}

// isToken tells page-token members apart: no generated value is a token
// the service handed out (paging is checked on its own).
func isToken(member string) bool { return strings.EqualFold(member, "nextToken") }

// count draws a collection size inside the shape's bounds, near lo..hi.
func (g *inputGen) count(s *apimodel.Shape, lo, hi int64) int {
	mn, mx := bounds(s, lo, hi)
	mn = max(mn, lo)
	mx = min(mx, max(mn, hi))
	return int(mn + g.rng.Int64N(mx-mn+1))
}

// bounds reads the shape's min/max, defaulting each side.
func bounds(s *apimodel.Shape, lo, hi int64) (int64, int64) {
	if s.Min != nil {
		if v, err := s.Min.Int64(); err == nil {
			lo = v
		}
	}
	if s.Max != nil {
		if v, err := s.Max.Int64(); err == nil {
			hi = v
		}
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// str draws a string inside the shape's enum, pattern and length.
func (g *inputGen) str(s *apimodel.Shape) string {
	if len(s.Enum) > 0 {
		return s.Enum[g.rng.IntN(len(s.Enum))]
	}
	lo, hi := bounds(s, 0, 1<<20)
	for range 50 {
		var v string
		if s.Pattern != "" {
			v = g.fromPattern(s.Pattern, lo)
		} else {
			v = g.letters(int(lo + g.rng.Int64N(min(hi-lo, 8)+1)))
		}
		if n := int64(len([]rune(v))); n >= lo && n <= hi && (s.Pattern == "" || g.rules.Matches(s.Pattern, v)) {
			return v
		}
	}
	return g.letters(int(max(lo, 1))) // a pattern the generator cannot follow: let the answer say
}

func (g *inputGen) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + g.rng.IntN(26))
	}
	return string(b)
}

// fromPattern draws a string matching a Go-compilable pattern.
func (g *inputGen) fromPattern(p string, minLen int64) string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return "x" // beyond RE2 (a lookahead): any plain word satisfies those in the models
	}
	var b strings.Builder
	g.emit(&b, re, minLen > 1)
	return b.String()
}

func (g *inputGen) emit(b *strings.Builder, re *syntax.Regexp, long bool) {
	repeat := func(lo, hi int) {
		if hi < 0 {
			hi = lo + 3
		}
		if long && lo == 0 {
			lo = min(1, hi)
		}
		n := lo + g.rng.IntN(min(hi-lo, 8)+1)
		for range n {
			g.emit(b, re.Sub[0], long)
		}
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		b.WriteRune(g.classRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte('a' + g.rng.IntN(26)))
	case syntax.OpCapture:
		g.emit(b, re.Sub[0], long)
	case syntax.OpStar:
		repeat(0, 3)
	case syntax.OpPlus:
		repeat(1, 3)
	case syntax.OpQuest:
		repeat(0, 1)
	case syntax.OpRepeat:
		repeat(re.Min, re.Max)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			g.emit(b, sub, long)
		}
	case syntax.OpAlternate:
		g.emit(b, re.Sub[g.rng.IntN(len(re.Sub))], long)
	}
}

// classRune picks a rune of a character class, printable ASCII when the
// class has any (\p{L} would otherwise give a random script).
func (g *inputGen) classRune(ranges []rune) rune {
	var ascii []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := max(ranges[i], '!'); r <= min(ranges[i+1], '~'); r++ {
			ascii = append(ascii, r)
		}
	}
	if len(ascii) > 0 {
		return ascii[g.rng.IntN(len(ascii))]
	}
	return ranges[0]
}

func sortedMembers(s *apimodel.Shape) []string {
	out := make([]string, 0, len(s.Members))
	for m := range s.Members {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// A site is one constraint of the model a request can break: at a path
// of members from the input ("[]" a list's first element, "{}" a map's
// first value), the violation to make.
type site struct {
	path []string
	kind siteKind
	// shape is the shape of the value at path.
	shape *apimodel.Shape
}

type siteKind int

const (
	dropRequired siteKind = iota
	wrongType
	tooShort
	tooLong
	notPattern
	notEnum
	belowMin
	aboveMax
)

// sites lists every constraint reachable from the named input shape, and
// a JSON type fault for each top-level member.
func (g *inputGen) sites(input string) []site {
	var out []site
	var walk func(name string, path []string, seen map[string]bool)
	walk = func(name string, path []string, seen map[string]bool) {
		s := g.shape(name)
		if seen[name] || len(path) > maxDepth {
			return
		}
		seen = mapWith(seen, name)
		if len(path) > 0 {
			out = append(out, constraintSites(g.rules, s, path)...)
		}
		if len(path) == 1 {
			out = append(out, site{path: path, kind: wrongType, shape: s})
		}
		switch s.Type {
		case "structure":
			for _, m := range sortedMembers(s) {
				p := append(slices.Clone(path), m)
				if slices.Contains(s.Required, m) {
					out = append(out, site{path: p, kind: dropRequired, shape: g.shape(s.Members[m].Shape)})
				}
				walk(s.Members[m].Shape, p, seen)
			}
		case "list":
			walk(s.Member.Shape, append(slices.Clone(path), "[]"), seen)
		case "map":
			walk(s.Value.Shape, append(slices.Clone(path), "{}"), seen)
		}
	}
	walk(input, nil, map[string]bool{})
	return out
}

func mapWith(m map[string]bool, k string) map[string]bool {
	out := make(map[string]bool, len(m)+1)
	for key := range m {
		out[key] = true
	}
	out[k] = true
	return out
}

func constraintSites(r *apimodel.Rules, s *apimodel.Shape, path []string) []site {
	var out []site
	add := func(k siteKind) { out = append(out, site{path: path, kind: k, shape: s}) }
	lo, hasLo := number(s.Min)
	_, hasHi := number(s.Max)
	switch s.Type {
	case "string", "list", "map":
		if hasLo && lo > 0 {
			add(tooShort)
		}
		if hasHi {
			add(tooLong)
		}
	case "integer", "long", "float", "double":
		if hasLo {
			add(belowMin)
		}
		if hasHi {
			add(aboveMax)
		}
	}
	if s.Type == "string" && len(s.Enum) > 0 {
		add(notEnum)
	}
	if s.Type == "string" && s.Pattern != "" && badForPattern(r, s) != "" {
		add(notPattern)
	}
	return out
}

func number(n *json.Number) (int64, bool) {
	if n == nil {
		return 0, false
	}
	v, err := n.Int64()
	return v, err == nil
}

// badForPattern is a string of a length the shape allows that its
// pattern refuses, or "" when the pattern accepts anything.
func badForPattern(r *apimodel.Rules, s *apimodel.Shape) string {
	lo, hi := bounds(s, 1, 1<<20)
	n := int(max(lo, 1))
	if int64(n) > hi {
		return ""
	}
	for _, c := range []string{"!", "#", "~", " ", "é", "\t", "A", "a", "0", "-"} {
		v := strings.Repeat(c, n)
		if !r.Matches(s.Pattern, v) {
			return v
		}
	}
	return ""
}

// breakValue makes the value the site's violation needs.
func (g *inputGen) breakValue(st site) any {
	s := st.shape
	lo, _ := number(s.Min)
	hi, _ := number(s.Max)
	switch st.kind {
	case wrongType:
		if s.Type == "string" || s.Type == "blob" {
			return json.Number("42")
		}
		return "not-a-" + s.Type
	case notEnum:
		return "NOT_IN_THE_ENUM"
	case notPattern:
		return badForPattern(g.rules, s)
	case belowMin:
		return json.Number(strconv.FormatInt(lo-1, 10))
	case aboveMax:
		return json.Number(strconv.FormatInt(hi+1, 10))
	case tooShort, tooLong:
		n := int(lo - 1)
		if st.kind == tooLong {
			n = int(hi + 1)
		}
		switch s.Type {
		case "string":
			return strings.Repeat("a", n)
		case "list":
			out := make([]any, n)
			for i := range out {
				out[i] = g.valid(s.Member.Shape, "", 1, nil)
			}
			return out
		default: // map
			out := map[string]any{}
			for i := range n {
				out["k"+strconv.Itoa(i)] = g.valid(s.Value.Shape, "", 1, nil)
			}
			return out
		}
	}
	return nil
}

// apply breaks in at the site and returns the path AWS's messages name
// it by (member names lower-case first, list items as N.member).
func (g *inputGen) apply(in map[string]any, st site) string {
	var container any = in
	var awsPath string
	for i, step := range st.path {
		last := i == len(st.path)-1
		switch step {
		case "[]":
			list := container.([]any)
			awsPath += ".1.member"
			if last {
				list[0] = g.breakValue(st)
				return awsPath
			}
			container = list[0]
		case "{}":
			m := container.(map[string]any)
			key := slices.Sorted(maps.Keys(m))[0]
			awsPath += "." + key
			if last {
				m[key] = g.breakValue(st)
				return awsPath
			}
			container = m[key]
		default:
			m := container.(map[string]any)
			awsPath = joinPath(awsPath, step)
			if last {
				if st.kind == dropRequired {
					delete(m, step)
				} else {
					m[step] = g.breakValue(st)
				}
				return awsPath
			}
			container = m[step]
		}
	}
	return awsPath
}

func joinPath(path, member string) string {
	name := strings.ToLower(member[:1]) + member[1:]
	if path == "" {
		return name
	}
	return path + "." + name
}
