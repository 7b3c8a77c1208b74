package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Epoch is a timestamp on the JSON 1.1 wire: seconds since the Unix
// epoch as a number with a fractional part, as the SDKs send and expect.
type Epoch time.Time

// EpochOf converts t; the zero time stays zero so omitempty-like checks work.
func EpochOf(t time.Time) *Epoch {
	if t.IsZero() {
		return nil
	}
	e := Epoch(t)
	return &e
}

// MarshalJSON writes seconds with millisecond precision.
func (e Epoch) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	ms := t.UnixMilli()
	return fmt.Appendf(nil, "%d.%03d", ms/1000, ms%1000), nil
}

// UnmarshalJSON reads seconds given as a number.
func (e *Epoch) UnmarshalJSON(b []byte) error {
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	whole, frac := math.Modf(secs)
	*e = Epoch(time.Unix(int64(whole), int64(frac*1e9)).UTC())
	return nil
}

// Time returns the timestamp as a time.Time.
func (e *Epoch) Time() time.Time {
	if e == nil {
		return time.Time{}
	}
	return time.Time(*e)
}
