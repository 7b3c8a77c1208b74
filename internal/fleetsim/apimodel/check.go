package apimodel

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a Violation breaks.
type Kind int

// Violation kinds. KindType is a serialization fault (the JSON is not of
// the shape's type); the others are constraint violations.
const (
	KindType Kind = iota + 1
	KindRequired
	KindLength // a string's length, a list's or a map's size
	KindRange  // a number's value
	KindPattern
	KindEnum
	// KindUnknown is a member the shape does not have; only answers are
	// held to it (AWS ignores unknown members in requests).
	KindUnknown
)

// Violation is one way a value breaks its shape.
type Violation struct {
	Kind Kind
	// Path locates the value as AWS's validation messages do: member
	// names with a lower-case first letter, list elements as N.member
	// (from 1), map values by key.
	Path string
	// Value is the offending value (nil when absent).
	Value any
	// Shape is the shape broken.
	Shape *Shape
	// Want says what the value fails to be, in AWS's words ("Member must
	// have length less than or equal to 100").
	Want string
}

func (v Violation) String() string {
	return fmt.Sprintf("value %s at '%s': %s", ValueText(v.Value), v.Path, v.Want)
}

// Mode says how members the shape lacks are treated.
type Mode int

const (
	// Request ignores them, as AWS's JSON services do, and drops them
	// from the value so a case-insensitive decoder cannot pick them up.
	Request Mode = iota
	// Answer reports them: an answer must not invent members. Answers
	// are held to members, types, enums and required members only:
	// lengths, patterns and ranges constrain what clients send (AWS's
	// own answers do not always meet them, an empty
	// ExecutionStartDateTime for one).
	Answer
)

// Check checks v, decoded with json.Decoder.UseNumber, against the named
// shape and lists every violation, in member order. In Request mode it
// removes the members the shapes lack from v's objects and reports
// whether it removed any.
func (r *Rules) Check(shape string, v any, mode Mode) (violations []Violation, dropped bool) {
	c := &checker{r: r, mode: mode}
	if v == nil {
		v = map[string]any{} // an empty body is an empty input
	}
	c.walk("", shape, v)
	return c.out, c.dropped
}

type checker struct {
	r       *Rules
	mode    Mode
	out     []Violation
	dropped bool
}

func (c *checker) add(kind Kind, path string, v any, s *Shape, want string) {
	c.out = append(c.out, Violation{Kind: kind, Path: path, Value: v, Shape: s, Want: want})
}

func (c *checker) walk(path, name string, v any) {
	s := c.r.Model.Shapes[name]
	if s == nil || v == nil || s.Document {
		return // JSON null is an absent member; documents are free-form
	}
	switch s.Type {
	case "structure":
		c.structure(path, name, s, v)
	case "list":
		c.list(path, s, v)
	case "map":
		c.mapping(path, s, v)
	case "string", "blob":
		c.str(path, s, v)
	case "integer", "long", "float", "double":
		c.number(path, s, v)
	case "boolean":
		if _, ok := v.(bool); !ok {
			c.add(KindType, path, v, s, "Member must be a boolean")
		}
	case "timestamp":
		if _, ok := v.(json.Number); !ok {
			c.add(KindType, path, v, s, "Member must be a timestamp in seconds since the epoch")
		}
	}
}

func (c *checker) structure(path, shape string, s *Shape, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(KindType, path, v, s, "Member must be a structure")
		return
	}
	for _, name := range c.r.members[shape] {
		child := join(path, name)
		val, present := obj[name]
		if val == nil && slices.Contains(s.Required, name) {
			c.add(KindRequired, child, nil, c.r.Model.Shapes[s.Members[name].Shape], "Member must not be null")
			continue
		}
		if present {
			c.walk(child, s.Members[name].Shape, val)
		}
	}
	unknown := false
	for key := range obj {
		if _, known := s.Members[key]; !known {
			unknown = true
			break
		}
	}
	if !unknown {
		return
	}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		if _, known := s.Members[key]; known {
			continue
		}
		if c.mode == Answer {
			c.add(KindUnknown, rawJoin(path, key), obj[key], s, "Member is not in the model")
			continue
		}
		delete(obj, key)
		c.dropped = true
	}
}

func (c *checker) list(path string, s *Shape, v any) {
	arr, ok := v.([]any)
	if !ok {
		c.add(KindType, path, v, s, "Member must be a list")
		return
	}
	c.size(path, s, v, len(arr))
	for i, e := range arr {
		item := path + "." + strconv.Itoa(i+1) + ".member"
		if e == nil {
			c.add(KindType, item, nil, s, "Member must not be null")
			continue
		}
		c.walk(item, s.Member.Shape, e)
	}
}

func (c *checker) mapping(path string, s *Shape, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add(KindType, path, v, s, "Member must be a map")
		return
	}
	c.size(path, s, v, len(obj))
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		c.walk(path, s.Key.Shape, k)
		if obj[k] == nil {
			c.add(KindType, path+"."+k, nil, s, "Member must not be null")
			continue
		}
		c.walk(path+"."+k, s.Value.Shape, obj[k])
	}
}

func (c *checker) str(path string, s *Shape, v any) {
	str, ok := v.(string)
	if !ok {
		c.add(KindType, path, v, s, "Member must be a string")
		return
	}
	if c.mode == Answer {
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			c.add(KindEnum, path, v, s, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		}
		return
	}
	c.size(path, s, v, javaLength(str))
	if s.Pattern != "" && !c.r.Matches(s.Pattern, str) {
		c.add(KindPattern, path, v, s, "Member must satisfy regular expression pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
		c.add(KindEnum, path, v, s, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
	}
}

// size checks a string's length or a collection's size against min/max.
func (c *checker) size(path string, s *Shape, v any, n int) {
	if c.mode == Answer {
		return
	}
	if lo, ok := s.min(); ok && float64(n) < lo {
		c.add(KindLength, path, v, s, "Member must have length greater than or equal to "+s.Min.String())
	}
	if hi, ok := s.max(); ok && float64(n) > hi {
		c.add(KindLength, path, v, s, "Member must have length less than or equal to "+s.Max.String())
	}
}

func (c *checker) number(path string, s *Shape, v any) {
	n, ok := v.(json.Number)
	if !ok {
		c.add(KindType, path, v, s, "Member must be a number")
		return
	}
	f, err := n.Float64()
	if err != nil {
		c.add(KindType, path, v, s, "Member must be a number")
		return
	}
	switch s.Type {
	case "integer", "long":
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || (s.Type == "integer" && (i < math.MinInt32 || i > math.MaxInt32)) {
			c.add(KindType, path, v, s, "Member must be an "+s.Type)
			return
		}
	}
	if c.mode == Answer {
		return
	}
	if lo, ok := s.min(); ok && f < lo {
		c.add(KindRange, path, v, s, "Member must have value greater than or equal to "+s.Min.String())
	}
	if hi, ok := s.max(); ok && f > hi {
		c.add(KindRange, path, v, s, "Member must have value less than or equal to "+s.Max.String())
	}
}

func (s *Shape) min() (float64, bool) { return bound(s.Min) }
func (s *Shape) max() (float64, bool) { return bound(s.Max) }

func bound(n *json.Number) (float64, bool) {
	if n == nil {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

func number(s string) *json.Number {
	n := json.Number(s)
	return &n
}

// javaLength counts a string as AWS's Java services do: UTF-16 units.
func javaLength(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// join appends a member to a path, lower-casing its first letter as
// AWS's validation messages do ("InstanceIds" is 'instanceIds').
func join(path, member string) string {
	r, size := utf8.DecodeRuneInString(member)
	name := string(unicode.ToLower(r)) + member[size:]
	if path == "" {
		return name
	}
	return path + "." + name
}

// rawJoin appends a member as it was written (for members the model
// lacks, whose case is the point).
func rawJoin(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// ValueText renders a value as AWS's validation messages do (Java's
// toString): lists as [a, b], maps as {k=v}, absent values as null.
func ValueText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ValueText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k+"="+ValueText(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(x)
	}
}
