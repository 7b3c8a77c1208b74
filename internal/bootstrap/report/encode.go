package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxEncodedBytes is the budget Encode keeps to: well under SSM's 24,000
// characters, leaving room for a trailing newline and stray output.
const MaxEncodedBytes = 20000

// New starts a report of the given command.
func New(cmd Command, check bool) *Report {
	return &Report{Schema: SchemaVersion, Summary: Summary{Command: cmd, Check: check}}
}

// AddProblem records a message, counting those beyond MaxProblems.
func (r *Report) AddProblem(format string, args ...any) {
	if len(r.Problems) >= MaxProblems {
		r.ProblemsOmitted++
		return
	}
	r.Problems = append(r.Problems, clip(fmt.Sprintf(format, args...)))
}

// AddContainer records one container's line. Lines beyond the cap are
// counted; Encode puts those needing attention first when it trims.
func (r *Report) AddContainer(c Container) {
	c.Message = clip(c.Message)
	r.Containers = append(r.Containers, c)
}

// Encode writes the report as one line of JSON, trimming details (healthy
// containers first) until it fits MaxEncodedBytes.
func (r *Report) Encode(w io.Writer) error {
	data, err := r.fit(func(out *Report) ([]byte, error) {
		data, err := json.Marshal(out)
		if err != nil {
			return nil, fmt.Errorf("encoding report: %w", err)
		}
		return append(asciiOnly(data), '\n'), nil
	})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// fit renders a copy of the report whose containers are sorted worst first
// and capped at MaxContainerDetails, then drops detail lines (containers
// from the end, then problems) until the rendering fits MaxEncodedBytes
// or nothing is left to drop. Counts stay exact.
func (r *Report) fit(render func(*Report) ([]byte, error)) ([]byte, error) {
	out := *r
	out.Containers = slices.Clone(r.Containers)
	slices.SortStableFunc(out.Containers, func(a, b Container) int {
		return severity(b.Status) - severity(a.Status)
	})
	if n := len(out.Containers) - MaxContainerDetails; n > 0 {
		out.Containers = out.Containers[:MaxContainerDetails]
		out.ContainersOmitted += n
	}
	for {
		data, err := render(&out)
		if err != nil {
			return nil, err
		}
		if len(data) <= MaxEncodedBytes || (len(out.Containers) == 0 && len(out.Problems) == 0) {
			return data, nil
		}
		if len(out.Containers) > 0 {
			out.Containers = out.Containers[:len(out.Containers)-1]
			out.ContainersOmitted++
			continue
		}
		out.Problems = out.Problems[:len(out.Problems)-1]
		out.ProblemsOmitted++
	}
}

// asciiOnly escapes every non-ASCII character as \uXXXX (a surrogate pair
// beyond the BMP). Non-ASCII can only occur inside JSON strings, so the
// result is the same JSON; it survives PowerShell re-encoding stdout in the
// console code page on its way to SSM.
func asciiOnly(data []byte) []byte {
	if !slices.ContainsFunc(data, func(b byte) bool { return b >= utf8.RuneSelf }) {
		return data
	}
	out := make([]byte, 0, len(data)+32)
	for _, r := range string(data) {
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
	}
	return out
}

func severity(s ContainerStatus) int {
	switch s {
	case ContainerFailed:
		return 4
	case ContainerLacking:
		return 3
	case ContainerRepaired:
		return 2
	case ContainerSkipped:
		return 0
	default:
		return 1
	}
}

func clip(s string) string {
	r := []rune(s)
	if len(r) <= MaxMessageLen {
		return s
	}
	return string(r[:MaxMessageLen-3]) + "..."
}
