package ensure

import (
	"unicode"
)

// Like matches s against a PowerShell -like pattern restricted to * and ?,
// ignoring case, as Get-NetAdapter -InterfaceDescription does. '?' stands
// for one character (rune), '*' for any run of them.
//
// It runs in O(len(s)·len(pattern)) time at worst and allocates only the
// two rune slices: a star never backtracks further than the most recent
// star, because an earlier star can absorb anything a later one could
// (the classic greedy wildcard match). A recursive matcher took seconds on
// "*?*?*?..." against an adapter description; this one does not grow
// faster than the product of the lengths (BenchmarkLikePathological).
func Like(s, pattern string) bool {
	return like(fold(s), fold(pattern))
}

// fold lowers every rune on its own, so that positions in the folded text
// are positions in runes of the original (strings.ToLower may change a
// rune's count, as for U+0130).
func fold(s string) []rune {
	out := []rune(s)
	for i, r := range out {
		out[i] = unicode.ToLower(r)
	}
	return out
}

func like(s, p []rune) bool {
	i, j := 0, 0
	star, resume := -1, 0 // the last star seen in p, and where s resumes after it
	for i < len(s) {
		switch {
		case j < len(p) && p[j] == '*':
			star, resume = j, i
			j++
		case j < len(p) && (p[j] == '?' || p[j] == s[i]):
			i++
			j++
		case star >= 0:
			// Let the last star absorb one more character and retry.
			resume++
			i, j = resume, star+1
		default:
			return false
		}
	}
	for j < len(p) && p[j] == '*' {
		j++
	}
	return j == len(p)
}
