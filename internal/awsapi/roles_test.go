package awsapi

import (
	"regexp"
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"arn:aws:iam::123456789012:role/ecswin-*", "arn:aws:iam::123456789012:role/ecswin-fleet", true},
		{"arn:aws:iam::123456789012:role/ecswin-*", "arn:aws:iam::123456789012:role/admin", false},
		{"arn:aws:iam::*:role/ecswin", "arn:aws:iam::210987654321:role/ecswin", true},
		{"arn:aws:iam::*:role/ecswin", "arn:aws:iam::210987654321:role/ecswin-admin", false},
		{"arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/team/path/x", true},
		{"arn:aws:iam::12345678901?:role/x", "arn:aws:iam::123456789012:role/x", true},
		{"arn:aws:iam::12345678901?:role/x", "arn:aws:iam::1234567890123:role/x", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
		{"*", "", true},
	}
	for _, tc := range tests {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

// A pattern of many stars against a long near-miss stays fast: the walk
// has no exponential backtracking.
func TestGlobMatchIsNotExponential(t *testing.T) {
	pattern := strings.Repeat("a*", 30) + "b"
	s := strings.Repeat("a", 2000)
	if globMatch(pattern, s) {
		t.Fatal("matched")
	}
}

func TestParseRolePatterns(t *testing.T) {
	got, err := ParseRolePatterns(" arn:aws:iam::123456789012:role/ecswin-*, ,arn:aws-cn:iam::*:role/ecswin ")
	if err != nil || len(got) != 2 {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"*", "ecswin-*", "arn:aws:s3:::bucket"} {
		if _, err := ParseRolePatterns(bad); err == nil || !strings.Contains(err.Error(), FlagAllowedRoleARNs) {
			t.Errorf("ParseRolePatterns(%q) = %v, want an error naming the flag", bad, err)
		}
	}
	if p, err := ParseRolePatterns(""); err != nil || len(p) != 0 || p.Allows("arn:aws:iam::123456789012:role/x") {
		t.Errorf("empty list = %v, %v; it must allow no role", p, err)
	}
}

var stsSessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func TestSessionName(t *testing.T) {
	long := strings.Repeat("payments-windows-", 10)
	cases := map[string]string{
		"payments":  "ecswin-payments",
		"a.b-c":     "ecswin-a.b-c",
		"demo/demo": "ecswin-demo-demo",
		"":          "ecswin-",
	}
	for in, want := range cases {
		if got := SessionName(in); got != want {
			t.Errorf("SessionName(%q) = %q, want %q", in, got, want)
		}
	}
	a, b := SessionName(long+"a"), SessionName(long+"b")
	for _, n := range []string{a, b, SessionName(long)} {
		if !stsSessionName.MatchString(n) {
			t.Errorf("%q breaks STS's RoleSessionName rules", n)
		}
	}
	if a == b {
		t.Errorf("two long policy names share session name %q", a)
	}
}
