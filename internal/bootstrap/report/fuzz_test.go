package report

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse: Parse never panics, errors are always one of the package's
// kinds, and whatever it accepts survives an encode/parse round trip.
func FuzzParse(f *testing.F) {
	f.Add(encoded(f, healthyHost()))
	f.Add(encoded(f, hundredContainers()))
	f.Add([]byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"ensure","outcome":"Repaired","containersChecked":1,"containersLackingRouteBefore":1,"containersRepaired":1}}`))
	f.Add([]byte(""))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			for _, kind := range []error{ErrEmpty, ErrTruncated, ErrNotJSON, ErrUnsupportedSchema, ErrInvalid} {
				if errors.Is(err, kind) {
					return
				}
			}
			t.Fatalf("error of no known kind: %v", err)
		}
		var buf bytes.Buffer
		if err := r.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(buf.Bytes()); err != nil {
			t.Fatalf("re-encoded report does not parse: %v\n%s", err, buf.Bytes())
		}
	})
}
