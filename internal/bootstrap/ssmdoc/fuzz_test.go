package ssmdoc

import (
	"strings"
	"testing"
)

// FuzzHostArgs: whatever HostArgs accepts carries nothing that could leave
// a single-quoted PowerShell string or start a new statement.
func FuzzHostArgs(f *testing.F) {
	f.Add("https://example.com/rb.exe", "Hyper-V Virtual Ethernet*", "169.254.170.2/32")
	f.Add("s3://bucket/key", "x'; calc; '", "1.2.3.4/32,5.6.7.8/32")
	f.Add("https://h/p?a=b&c=%27", "vEthernet (nat) #2", "169.254.170.2/32;calc")
	f.Fuzz(func(t *testing.T, source, pattern, destinations string) {
		params := map[string][]string{
			ParamSource:         {source},
			ParamAdapterPattern: {pattern}, ParamDestinations: {destinations},
		}
		if _, err := HostArgs(params); err != nil {
			return
		}
		for _, v := range []string{source, pattern, destinations} {
			if i := strings.IndexAny(v, "'\"`$;\r\n\u2018\u2019\u201a\u201b"); i >= 0 {
				t.Fatalf("accepted %q, which holds %q", v, v[i])
			}
		}
	})
}
