package winos

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

func TestParseExcludedPortRanges(t *testing.T) {
	tests := map[string]struct {
		out  string
		want []hostos.PortRange
	}{
		"english with administered": {
			out:  "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n      5357        5357\r\n     51661       51760\r\n     50000       50059     *\r\n\r\n* - Administered port exclusions.\r\n",
			want: []hostos.PortRange{{Start: 5357, End: 5357}, {Start: 51661, End: 51760}, {Start: 50000, End: 50059}},
		},
		"german headings": {
			out:  "Portausschlussbereiche für das Protokoll tcp\n\nStartport    Endport\n----------    --------\n     49709       49808\n",
			want: []hostos.PortRange{{Start: 49709, End: 49808}},
		},
		"none":          {out: "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n\n"},
		"out of range":  {out: "70000 70001\n"},
		"numbers later": {out: "Ranges 1 2\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseExcludedPortRanges(tc.out)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := ParseExcludedPortRanges("51679 51678\n"); err == nil {
		t.Error("backwards range accepted")
	}
}

func TestParsePortProxyRule(t *testing.T) {
	tests := map[string]struct {
		name, data string
		want       hostos.PortProxyRule
		ok         bool
	}{
		"credential proxy": {
			name: "169.254.170.2/80", data: "127.0.0.1/51679", ok: true,
			want: hostos.PortProxyRule{Listen: netip.MustParseAddrPort("169.254.170.2:80"), Connect: netip.MustParseAddrPort("127.0.0.1:51679")},
		},
		"wildcard listen": {name: "*/8080", data: "127.0.0.1/80"},
		"host name":       {name: "10.0.0.1/80", data: "localhost/80"},
		"no port":         {name: "10.0.0.1", data: "127.0.0.1/80"},
		"bad port":        {name: "10.0.0.1/99999", data: "127.0.0.1/80"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParsePortProxyRule(tc.name, tc.data)
			if ok != tc.ok || got != tc.want {
				t.Errorf("got %v %t, want %v %t", got, ok, tc.want, tc.ok)
			}
		})
	}
}
