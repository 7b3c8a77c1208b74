package wire

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// PageToken encodes a position in a listing together with the scope of
// the query that produced it, so a token is opaque to clients and cannot
// be replayed against a different query.
func PageToken(scope string, pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(pos) + "|" + scope))
}

// ParsePageToken returns the position in token, 0 for an empty token,
// and ok=false for a token that this scope did not produce.
func ParsePageToken(token, scope string) (pos int, ok bool) {
	if token == "" {
		return 0, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	num, rest, found := strings.Cut(string(raw), "|")
	if !found || rest != scope {
		return 0, false
	}
	pos, err = strconv.Atoi(num)
	if err != nil || pos < 0 {
		return 0, false
	}
	return pos, true
}
