package cliout

import (
	"fmt"
	"io"
	"text/tabwriter"
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
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t%s\tchange\t\n", beforeHead, afterHead)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", r.Label, r.Before, r.After, change(st, r))
	}
	return tw.Flush()
}

func change(st Style, r Row) string {
	d := r.After - r.Before
	// Pad first: colour codes inside a cell would upset the widths.
	text := fmt.Sprintf("%+6d", d)
	if d == 0 {
		return st.Dim(fmt.Sprintf("%6s", "="))
	}
	if r.LowerIsBetter {
		if d < 0 {
			return st.Good(text)
		}
		return st.Bad(text)
	}
	return text
}
