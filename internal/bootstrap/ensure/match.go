package ensure

import (
	"strings"
	"unicode/utf8"
)

// Like matches s against a PowerShell -like pattern restricted to * and ?,
// ignoring case, as Get-NetAdapter -InterfaceDescription does.
func Like(s, pattern string) bool {
	return like(strings.ToLower(s), strings.ToLower(pattern))
}

func like(s, p string) bool {
	for p != "" {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if like(s[i:], p) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			_, n := utf8.DecodeRuneInString(s)
			s, p = s[n:], p[1:]
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return s == ""
}
