package wire

// Page collects up to size items from n positions starting at start for
// which match gives an item, and returns the position of the next
// matching one (or -1), so that a token is only handed out when another
// page really exists, as AWS does.
func Page[T any](start, n, size int, match func(pos int) (T, bool)) ([]T, int) {
	out := make([]T, 0, min(size, max(0, n-start)))
	pos := start
	for ; pos < n; pos++ {
		item, ok := match(pos)
		if !ok {
			continue
		}
		if len(out) == size {
			return out, pos
		}
		out = append(out, item)
	}
	return out, -1
}
