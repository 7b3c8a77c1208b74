package cliout

import (
	"fmt"
	"io"
)

// Row is one line of a before/after table.
type Row struct {
	Label         string
	Before, After int
	// LowerIsBetter colours a fall green and a rise red; false leaves
	// the change plain.
	LowerIsBetter bool
}

// BeforeAfter prints rows with the change between the two columns.
func BeforeAfter(w io.Writer, st Style, title, beforeHead, afterHead string, rows []Row) error {
	if title != "" {
		fmt.Fprintln(w, st.Bold(title))
	}
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		cells = append(cells, []string{r.Label, fmt.Sprint(r.Before), fmt.Sprint(r.After), change(st, r)})
	}
	return Columns(w, st, []string{"", beforeHead, afterHead, "change"}, cells,
		Layout{RightAligned: []int{0, 1, 2, 3}, Indent: "  "})
}

func change(st Style, r Row) string {
	d := r.After - r.Before
	if d == 0 {
		return st.Dim("=")
	}
	text := fmt.Sprintf("%+d", d)
	if r.LowerIsBetter {
		if d < 0 {
			return st.Good(text)
		}
		return st.Bad(text)
	}
	return text
}
