package wire

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// KeyToken encodes where the next page starts, as the key of its first
// item, together with the scope of the query that produced it, so a
// token is opaque to clients and cannot be replayed against a different
// query. A key, unlike a position, stays right when items are added
// between two pages. Keys must not contain "|".
func KeyToken(scope, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + scope))
}

// ParseKeyToken returns the key in token, "" for an empty token, and
// ok=false for a token that this scope did not produce.
func ParseKeyToken(token, scope string) (key string, ok bool) {
	if token == "" {
		return "", true
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	key, rest, found := strings.Cut(string(raw), "|")
	if !found || rest != scope || key == "" {
		return "", false
	}
	return key, true
}

// PageToken is a KeyToken whose key is a position in an append-only
// listing (positions of such a listing never move).
func PageToken(scope string, pos int) string { return KeyToken(scope, strconv.Itoa(pos)) }

// ParsePageToken returns the position in token, 0 for an empty token,
// and ok=false for a token that this scope did not produce.
func ParsePageToken(token, scope string) (pos int, ok bool) {
	key, ok := ParseKeyToken(token, scope)
	if !ok || key == "" {
		return 0, ok
	}
	pos, err := strconv.Atoi(key)
	if err != nil || pos < 0 {
		return 0, false
	}
	return pos, true
}
