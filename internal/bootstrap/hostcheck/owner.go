package hostcheck

import (
	"strings"
)

// trustedOwners may own the copy of route-bootstrap inside a container:
// what the Docker Engine, running as SYSTEM on the host, leaves, and the
// container's own administrator. Anything else (ContainerUser above all)
// means someone unprivileged wrote the file, which then must not run as
// ContainerAdministrator.
var trustedOwners = []string{
	`NT AUTHORITY\SYSTEM`,
	`BUILTIN\Administrators`,
	`NT SERVICE\TrustedInstaller`,
	`User Manager\ContainerAdministrator`,
}

// dirOwnerWidth is how many characters of the owner "dir /q" prints; a
// longer name is cut there, so a cut name is matched as a prefix, and only
// when it is at least this long (at 22 characters "User Manager\Container"
// would be ContainerUser as much as ContainerAdministrator).
const dirOwnerWidth = 23

// ParseDirOwner reads the owner of name from the output of cmd.exe's
// "dir /q /a:-d PATH": the file's line holds the date, the time (with
// AM/PM in some locales), the size, the owner and the name. The owner is
// what lies between the size (the last all-digit token, with separators)
// and the name.
func ParseDirOwner(out, name string) (owner string, ok bool) {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r ")
		if !strings.HasSuffix(strings.ToLower(line), " "+strings.ToLower(name)) {
			continue
		}
		fields := strings.Fields(line[:len(line)-len(name)])
		size := -1
		for i, f := range fields {
			if isSize(f) {
				size = i
			}
		}
		if size < 0 || size == len(fields)-1 {
			return "", false
		}
		return strings.Join(fields[size+1:], " "), true
	}
	return "", false
}

func isSize(f string) bool {
	digit := false
	for _, c := range f {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c == ',' || c == '.' || c == '\u00a0' || c == '\'':
		default:
			return false
		}
	}
	return digit
}

// TrustedOwner tells whether owner (as dir /q prints it, possibly cut) is
// one of trustedOwners.
func TrustedOwner(owner string) bool {
	for _, t := range trustedOwners {
		if strings.EqualFold(owner, t) {
			return true
		}
		if len(owner) >= dirOwnerWidth && len(owner) < len(t) && strings.EqualFold(owner, t[:len(owner)]) {
			return true
		}
	}
	return false
}
