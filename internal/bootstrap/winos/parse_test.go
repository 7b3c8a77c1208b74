package winos

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/pwshparse"
)

func TestParseExcludedPortRanges(t *testing.T) {
	tests := map[string]struct {
		out  string
		want []hostos.PortRange
	}{
		"english with administered": {
			out:  "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n      5357        5357\r\n     51661       51760\r\n     50000       50059     *\r\n\r\n* - Administered port exclusions.\r\n",
			want: []hostos.PortRange{{Start: 5357, End: 5357}, {Start: 51661, End: 51760}, {Start: 50000, End: 50059, Administered: true}},
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

func TestNetshArguments(t *testing.T) {
	add := netshAddRuleArgs(hostos.ProxyListen, hostos.AgentAddress)
	want := []string{"interface", "portproxy", "add", "v4tov4", "listenaddress=169.254.170.2", "listenport=80", "connectaddress=127.0.0.1", "connectport=51679"}
	if !slices.Equal(add, want) {
		t.Errorf("add %q\nwant %q", add, want)
	}
	del := netshDeleteRuleArgs(hostos.ProxyListen)
	if want := []string{"interface", "portproxy", "delete", "v4tov4", "listenaddress=169.254.170.2", "listenport=80"}; !slices.Equal(del, want) {
		t.Errorf("delete %q\nwant %q", del, want)
	}
}

// TestScriptInputs: the scripts' only inputs are environment variables
// formatted from typed values, and -EncodedCommand carries the text as
// UTF-16LE base64, which PowerShell decodes back to exactly the script.
func TestScriptInputs(t *testing.T) {
	if got := createAdapterEnv(netip.MustParsePrefix("172.24.16.1/20")); !slices.Equal(got, []string{"ECSWIN_NAT_SUBNET=172.24.16.0/20"}) {
		t.Errorf("create-adapter env %q", got)
	}
	if got := addAddressEnv(12); !slices.Equal(got, []string{"ECSWIN_IF_INDEX=12"}) {
		t.Errorf("add-address env %q", got)
	}
	if got := encodeCommand("dir 'é'"); got != "ZABpAHIAIAAnAOkAJwA=" {
		t.Errorf("encoded %q", got)
	}
	args := powershellArgs(RemoveAdapterScript)
	if args[len(args)-2] != "-EncodedCommand" || args[len(args)-1] != encodeCommand(RemoveAdapterScript) {
		t.Errorf("powershell args %q", args)
	}
	for name, script := range Scripts() {
		if n := strings.Count(script, "$env:"); n > 1 {
			t.Errorf("%s reads %d environment variables, want at most one", name, n)
		}
		if strings.Contains(script, "{{") || strings.Contains(script, "%s") {
			t.Errorf("%s has a placeholder: scripts are fixed texts", name)
		}
	}
}

func TestServiceStateName(t *testing.T) {
	if ServiceStateName(4) != "Running" || ServiceStateName(1) != "Stopped" || ServiceStateName(99) != "Unknown(99)" {
		t.Error("service state names")
	}
}

// TestScriptsParse: every script route-bootstrap runs is valid Windows
// PowerShell 5.1.
func TestScriptsParse(t *testing.T) {
	pwshparse.Require(t, Scripts())
}
