package cliout

import (
	"io"
	"os"
)

// Style colours output when it goes to a terminal and leaves it plain
// otherwise (files, pipes, CI logs, NO_COLOR).
type Style struct{ color bool }

// StyleFor picks a style for w.
func StyleFor(w io.Writer) Style {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return Style{}
	}
	st, err := f.Stat()
	return Style{color: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

func (s Style) wrap(code, text string) string {
	if !s.color || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Bold is for headings.
func (s Style) Bold(t string) string { return s.wrap("1", t) }

// Dim is for what matters least: separators, times, idle passes.
func (s Style) Dim(t string) string { return s.wrap("2", t) }

// Good is green: healthy, fixed.
func (s Style) Good(t string) string { return s.wrap("32", t) }

// Warn is yellow: in progress, needs a look.
func (s Style) Warn(t string) string { return s.wrap("33", t) }

// Bad is red: drifted, failed, errors.
func (s Style) Bad(t string) string { return s.wrap("31", t) }
