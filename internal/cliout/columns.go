package cliout

import (
	"bufio"
	"io"
	"strings"
)

// columnGap separates columns.
const columnGap = 2

// minWrapWidth is the narrowest last column worth wrapping into; below
// it long lines are left to the terminal.
const minWrapWidth = 24

// Layout says how Columns lays a table out.
type Layout struct {
	// RightAligned lists the columns aligned right (numbers).
	RightAligned []int
	// Indent prefixes every line.
	Indent string
}

// Columns prints rows under header in aligned columns. Widths are
// measured on the visible text, so cells may be coloured before they
// are laid out. On a terminal of known width the last column is wrapped
// at spaces, its continuation lines indented under it; elsewhere every
// row stays one line, for grep and diff.
func Columns(w io.Writer, st Style, header []string, rows [][]string, l Layout) error {
	all := append([][]string{header}, rows...)
	n := len(header)
	widths := make([]int, n)
	for _, r := range all {
		for i := 0; i < n && i < len(r); i++ {
			widths[i] = max(widths[i], VisibleWidth(r[i]))
		}
	}
	right := make([]bool, n)
	for _, i := range l.RightAligned {
		if i >= 0 && i < n {
			right[i] = true
		}
	}
	offset := len(l.Indent)
	for i := 0; i < n-1; i++ {
		offset += widths[i] + columnGap
	}
	lastWidth := 0 // 0: do not wrap
	if st.width > 0 && st.width-offset >= minWrapWidth && offset+widths[n-1] > st.width {
		lastWidth = st.width - offset
	}

	bw := bufio.NewWriter(w)
	for _, r := range all {
		var b strings.Builder
		b.WriteString(l.Indent)
		for i := 0; i < n; i++ {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			switch {
			case i == n-1 && right[i]:
				b.WriteString(PadLeft(cell, widths[i]))
			case i == n-1:
				b.WriteString(wrapLast(cell, lastWidth, offset))
			case right[i]:
				b.WriteString(PadLeft(cell, widths[i]))
				b.WriteString(spaces(columnGap))
			default:
				b.WriteString(PadRight(cell, widths[i]+columnGap))
			}
		}
		// A failed write shows in Flush's error.
		_, _ = bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	return bw.Flush()
}

// wrapLast wraps text to width columns at spaces, indenting each
// continuation line by indent; width 0 leaves it on one line.
func wrapLast(text string, width, indent int) string {
	if width <= 0 || VisibleWidth(text) <= width {
		return text
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case VisibleWidth(line)+1+VisibleWidth(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"+spaces(indent))
}
