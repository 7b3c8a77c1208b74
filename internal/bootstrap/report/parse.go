package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Errors Parse wraps, so the controller can tell them apart with errors.Is.
var (
	ErrEmpty             = errors.New("report is empty")
	ErrTruncated         = errors.New("report is truncated")
	ErrNotJSON           = errors.New("report is not JSON")
	ErrUnsupportedSchema = errors.New("unsupported report schema")
	ErrInvalid           = errors.New("report is invalid")
)

// utf8BOM is stripped because PowerShell may prefix redirected output with it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse reads one report strictly: exactly one JSON object of a known schema
// version with a consistent summary. Unknown fields are tolerated so that a
// newer binary's additive fields do not break an older controller.
func Parse(data []byte) (*Report, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(data), utf8BOM))
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if data[0] != '{' {
		return nil, fmt.Errorf("%w: starts with %q", ErrNotJSON, firstRunes(data, 16))
	}
	var head struct {
		Schema *string `json:"schema"`
	}
	if err := decodeOne(data, &head); err != nil {
		return nil, err
	}
	if head.Schema == nil {
		return nil, fmt.Errorf("%w: no schema field", ErrUnsupportedSchema)
	}
	if *head.Schema != SchemaVersion {
		return nil, fmt.Errorf("%w: %q (want %q)", ErrUnsupportedSchema, firstRunes([]byte(*head.Schema), 64), SchemaVersion)
	}
	var r Report
	if err := decodeOne(data, &r); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// decodeOne decodes exactly one JSON value and rejects anything after it.
func decodeOne(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return classify(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: data after the report object", ErrNotJSON)
	}
	return nil
}

func classify(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %w", ErrTruncated, err)
	case errors.As(err, &syntax):
		return fmt.Errorf("%w: %w", ErrNotJSON, err)
	case errors.As(err, &typeErr):
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	default:
		return fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
}

func firstRunes(b []byte, n int) string {
	r := []rune(string(b))
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
