package awsapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// FlagAllowedRoleARNs is the manager's (and ecswinctl's) flag listing the
// roles a policy may name in spec.aws.roleARN.
const FlagAllowedRoleARNs = "--allowed-role-arns"

// RolePatterns are the role ARNs a policy may assume: glob patterns where
// * matches any run of characters (slashes included, as in IAM) and ?
// one character. None means no cross-account role at all.
type RolePatterns []string

// ParseRolePatterns reads the comma-separated value of
// --allowed-role-arns. Each pattern must look like a role ARN, so that a
// typo cannot allow everything by accident; a lone * is refused for the
// same reason (write arn:*:iam::*:role/* to mean it).
func ParseRolePatterns(list string) (RolePatterns, error) {
	var out RolePatterns
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "arn:") || !strings.Contains(p, ":role/") {
			return nil, fmt.Errorf("%s: %q is not a role ARN pattern such as arn:aws:iam::123456789012:role/ecswin-*", FlagAllowedRoleARNs, p)
		}
		out = append(out, p)
	}
	return out, nil
}

// Allows reports whether some pattern matches arn.
func (r RolePatterns) Allows(arn string) bool {
	for _, p := range r {
		if globMatch(p, arn) {
			return true
		}
	}
	return false
}

// globMatch matches s against pattern with * and ?, in time linear in
// len(pattern)*len(s) at worst (the classic backtrack-to-the-last-star
// walk, no recursion).
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// STS limits on RoleSessionName and SourceIdentity: 2-64 characters of
// letters, digits and + = , . @ _ -.
const maxSessionName = 64

// SessionName is the RoleSessionName (and SourceIdentity) ecswin uses
// when it assumes a role for policy: ecswin-<policy>, with characters STS
// refuses turned into -, and names too long for STS's 64 characters cut
// and suffixed with a hash of the whole name, so two policies never share
// a session name and CloudTrail tells them apart.
func SessionName(policy string) string {
	b := []byte("ecswin-" + policy)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0
		if !ok {
			b[i] = '-'
		}
	}
	name := string(b)
	if len(name) <= maxSessionName {
		return name
	}
	sum := sha256.Sum256([]byte(policy))
	suffix := "-" + hex.EncodeToString(sum[:4])
	return name[:maxSessionName-len(suffix)] + suffix
}

// checkRole refuses a role the operator did not allow.
func checkRole(s Settings, allowed RolePatterns) error {
	if s.RoleARN == "" || allowed.Allows(s.RoleARN) {
		return nil
	}
	why := "the manager allows no cross-account role"
	if len(allowed) > 0 {
		why = fmt.Sprintf("it matches none of the manager's %s patterns %s", FlagAllowedRoleARNs, strings.Join(allowed, ","))
	}
	return &RefusedError{
		Field:  "spec.aws.roleARN",
		Reason: ReasonRoleNotAllowed,
		Message: fmt.Sprintf("spec.aws.roleARN %s is refused: %s; the operator lists the roles policies may assume with the manager's %s flag",
			s.RoleARN, why, FlagAllowedRoleARNs),
	}
}
