package winos

import (
	"bufio"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// portProxyKey is where netsh interface portproxy keeps v4tov4 rules,
// under HKEY_LOCAL_MACHINE.
const portProxyKey = `SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp`

// ParseExcludedPortRanges reads the output of
// "netsh interface ipv4 show excludedportrange protocol=tcp": every line
// whose first two fields are port numbers is a range, administered when a
// "*" follows them (netsh's own footnote: "* - Administered port
// exclusions"); headings and dashes are ignored, which keeps the parser
// independent of the display language.
func ParseExcludedPortRanges(out string) ([]hostos.PortRange, error) {
	var ranges []hostos.PortRange
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		start, err1 := strconv.ParseUint(f[0], 10, 16)
		end, err2 := strconv.ParseUint(f[1], 10, 16)
		if err1 != nil || err2 != nil {
			continue
		}
		if start > end {
			return nil, fmt.Errorf("excluded port range %d-%d runs backwards", start, end)
		}
		administered := len(f) > 2 && f[2] == "*"
		ranges = append(ranges, hostos.PortRange{Start: uint16(start), End: uint16(end), Administered: administered})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading netsh output: %w", err)
	}
	return ranges, nil
}

// ParsePortProxyRule reads one value of the registry key
// HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp, where netsh
// stores a rule as name "listenaddress/listenport" and data
// "connectaddress/connectport". ok is false for rules whose addresses are
// host names or "*", which cannot be the credential proxy's rule.
func ParsePortProxyRule(name, data string) (rule hostos.PortProxyRule, ok bool) {
	listen, ok1 := parseSlashAddrPort(name)
	connect, ok2 := parseSlashAddrPort(data)
	if !ok1 || !ok2 {
		return hostos.PortProxyRule{}, false
	}
	return hostos.PortProxyRule{Listen: listen, Connect: connect}, true
}

func parseSlashAddrPort(s string) (netip.AddrPort, bool) {
	host, port, found := strings.Cut(strings.TrimSpace(s), "/")
	if !found {
		return netip.AddrPort{}, false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, false
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(addr, uint16(p)), true
}
