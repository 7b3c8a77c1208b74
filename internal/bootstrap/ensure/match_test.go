package ensure_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
)

// likeReference is the obvious dynamic programme over runes: match[i][j]
// tells whether s[i:] matches p[j:]. Slow and simple, it is what the fuzz
// test holds ensure.Like to.
func likeReference(s, pattern string) bool {
	lower := func(x string) []rune {
		r := []rune(x)
		for i := range r {
			r[i] = unicode.ToLower(r[i])
		}
		return r
	}
	rs, rp := lower(s), lower(pattern)
	match := make([][]bool, len(rs)+1)
	for i := range match {
		match[i] = make([]bool, len(rp)+1)
	}
	match[len(rs)][len(rp)] = true
	for i := len(rs); i >= 0; i-- {
		for j := len(rp) - 1; j >= 0; j-- {
			switch {
			case rp[j] == '*':
				match[i][j] = match[i][j+1] || (i < len(rs) && match[i+1][j])
			case i < len(rs) && (rp[j] == '?' || rp[j] == rs[i]):
				match[i][j] = match[i+1][j+1]
			}
		}
	}
	return match[0][0]
}

func TestLikeAgreesWithReference(t *testing.T) {
	subjects := []string{"", "a", "Hyper-V Virtual Ethernet Adapter #2", "vc0", "aaa", "İstanbul", "ab*c"}
	patterns := []string{"", "*", "?", "**", "a*", "*a", "?*?", "Hyper-V*", "*#?", "a*a*a", "i*", "*?*?*?*?*?*?*?*?*?*?", "ab[c", "*\\*c"}
	for _, s := range subjects {
		for _, p := range patterns {
			if got, want := ensure.Like(s, p), likeReference(s, p); got != want {
				t.Errorf("Like(%q, %q) = %t, reference says %t", s, p, got, want)
			}
		}
	}
}

// FuzzLike holds the linear matcher to the reference on any input.
func FuzzLike(f *testing.F) {
	f.Add("Hyper-V Virtual Ethernet Adapter #2", "Hyper-V Virtual Ethernet*")
	f.Add("Hyper-V Virtual Ethernet Adapter #2", strings.Repeat("*?", 12))
	f.Add("aaaaaaaaaab", "*a*a*a*a*b")
	f.Add("ǅ", "ǆ?")
	f.Fuzz(func(t *testing.T, s, pattern string) {
		if !utf8.ValidString(s) || !utf8.ValidString(pattern) || len(s) > 256 || len(pattern) > 256 {
			return // the reference is quadratic in memory; adapter names are short
		}
		if got, want := ensure.Like(s, pattern), likeReference(s, pattern); got != want {
			t.Fatalf("Like(%q, %q) = %t, reference says %t", s, pattern, got, want)
		}
	})
}

// BenchmarkLikePathological matches "*?" repeated k times, the pattern the
// old recursive matcher took over 30 s on at k = 12, against a real
// adapter description. ns/op should grow about linearly in k (the pattern
// length), not exponentially.
func BenchmarkLikePathological(b *testing.B) {
	const desc = "Hyper-V Virtual Ethernet Adapter #2"
	for _, k := range []int{6, 12, 24, 48, 64} {
		pattern := strings.Repeat("*?", k) + "x" // never matches: the worst case
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			for b.Loop() {
				if ensure.Like(desc, pattern) {
					b.Fatal("matched")
				}
			}
		})
	}
}
