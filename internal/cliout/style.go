package cliout

import (
	"io"
	"os"
	"regexp"
	"unicode/utf8"

	"golang.org/x/term"
)

// Style colours output when it goes to a terminal and leaves it plain
// otherwise (files, pipes, CI logs, NO_COLOR, TERM=dumb). On a terminal
// it also knows the width, so tables can wrap their last column.
type Style struct {
	color bool
	// width is the terminal's width in columns; 0 means unknown (not a
	// terminal), and then nothing is wrapped.
	width int
}

// StyleFor picks a style for w.
func StyleFor(w io.Writer) Style {
	f, ok := w.(*os.File)
	if !ok {
		return Style{}
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return Style{}
	}
	s := Style{color: os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"}
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
		s.width = cols
	}
	return s
}

// Width is the terminal's width, 0 when unknown.
func (s Style) Width() int { return s.width }

// WithWidth is s for a terminal of the given width (tests, COLUMNS).
func (s Style) WithWidth(cols int) Style { s.width = cols; return s }

// Colored is s with colours on (tests).
func (s Style) Colored() Style { s.color = true; return s }

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

// escapes matches the SGR sequences Style writes.
var escapes = regexp.MustCompile("\x1b\\[[0-9;]*m")

// VisibleWidth is how many columns text takes on a terminal: colour
// codes take none, and every rune ecswinctl prints takes one.
func VisibleWidth(text string) int {
	return utf8.RuneCountInString(escapes.ReplaceAllString(text, ""))
}

// PadRight pads text with spaces to width visible columns.
func PadRight(text string, width int) string {
	if n := VisibleWidth(text); n < width {
		return text + spaces(width-n)
	}
	return text
}

// PadLeft right-aligns text in width visible columns.
func PadLeft(text string, width int) string {
	if n := VisibleWidth(text); n < width {
		return spaces(width-n) + text
	}
	return text
}

func spaces(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}
