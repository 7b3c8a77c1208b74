package hostcheck

import (
	"testing"
)

func TestParseDirOwner(t *testing.T) {
	const head = " Volume in drive C has no label.\r\n Volume Serial Number is 7A3B-1C2D\r\n\r\n Directory of C:\\Windows\\ecswin-1f\r\n\r\n"
	const tail = "               1 File(s)      8,912,384 bytes\r\n               0 Dir(s)  20,123,456,789 bytes free\r\n"
	tests := map[string]struct {
		out, owner string
		ok         bool
	}{
		"english 12-hour": {out: head + "12/01/2026  10:00 AM         8,912,384 BUILTIN\\Administrators  route-bootstrap.exe\r\n" + tail, owner: `BUILTIN\Administrators`, ok: true},
		"24-hour, dots":   {out: head + "01.12.2026  10:00         8.912.384 NT AUTHORITY\\SYSTEM     route-bootstrap.exe\r\n" + tail, owner: `NT AUTHORITY\SYSTEM`, ok: true},
		"cut name":        {out: head + "12/01/2026  10:00 AM         8,912,384 NT SERVICE\\TrustedInsta route-bootstrap.exe\r\n" + tail, owner: `NT SERVICE\TrustedInsta`, ok: true},
		"container user":  {out: head + "12/01/2026  10:00 AM         8,912,384 User Manager\\ContainerU route-bootstrap.exe\r\n" + tail, owner: `User Manager\ContainerU`, ok: true},
		"no owner column": {out: head + "12/01/2026  10:00 AM         8,912,384 route-bootstrap.exe\r\n" + tail},
		"file not found":  {out: "File Not Found\r\n"},
		"other file":      {out: head + "12/01/2026  10:00 AM         8,912,384 BUILTIN\\Administrators  other.exe\r\n" + tail},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			owner, ok := ParseDirOwner(tc.out, "route-bootstrap.exe")
			if owner != tc.owner || ok != tc.ok {
				t.Errorf("got %q %t, want %q %t", owner, ok, tc.owner, tc.ok)
			}
		})
	}
}

func TestTrustedOwner(t *testing.T) {
	tests := map[string]bool{
		`NT AUTHORITY\SYSTEM`:        true,
		`BUILTIN\Administrators`:     true,
		`builtin\administrators`:     true,
		`NT SERVICE\TrustedInsta`:    true, // cut at 23 characters
		`User Manager\ContainerA`:    true, // ContainerAdministrator, cut
		`User Manager\ContainerU`:    false,
		`User Manager\Container`:     false, // too short to tell the two apart
		`User Manager\ContainerUser`: false,
		`BUILTIN\Users`:              false,
		`...`:                        false,
		``:                           false,
	}
	for owner, want := range tests {
		if got := TrustedOwner(owner); got != want {
			t.Errorf("TrustedOwner(%q) = %t, want %t", owner, got, want)
		}
	}
}
