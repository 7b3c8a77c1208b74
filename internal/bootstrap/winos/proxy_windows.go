//go:build windows

package winos

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os/exec"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Proxy reads the credential proxy's configuration on the host.
type Proxy struct{}

var _ hostos.Proxy = Proxy{}

// PortProxyRules reads the v4tov4 TCP rules from the registry; a missing
// key means no rules.
func (Proxy) PortProxyRules(context.Context) ([]hostos.PortProxyRule, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, portProxyKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", portProxyKey, err)
	}
	defer k.Close()
	names, err := k.ReadValueNames(0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", portProxyKey, err)
	}
	var rules []hostos.PortProxyRule
	for _, name := range names {
		data, _, err := k.GetStringValue(name)
		if err != nil {
			continue // not a string: not a rule netsh wrote
		}
		if r, ok := ParsePortProxyRule(name, data); ok {
			rules = append(rules, r)
		}
	}
	return rules, nil
}

// netshExcludedArgs lists the TCP excluded port ranges.
var netshExcludedArgs = []string{"interface", "ipv4", "show", "excludedportrange", "protocol=tcp"}

// ExcludedPortRanges asks netsh, which reads the dynamic exclusions winnat
// makes; IP Helper has no public call for them.
func (Proxy) ExcludedPortRanges(ctx context.Context) ([]hostos.PortRange, error) {
	netsh, err := systemTool("netsh.exe")
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, netsh, netshExcludedArgs...).Output()
	if err != nil {
		return nil, fmt.Errorf("running netsh: %w", err)
	}
	return ParseExcludedPortRanges(string(out))
}

// ProbeTCP connects to addr.
func (Proxy) ProbeTCP(ctx context.Context, addr netip.AddrPort) error { return probeTCP(ctx, addr) }

// ServiceState asks the service control manager, with the least access
// that answers (connect, query status).
func (Proxy) ServiceState(_ context.Context, name string) (string, error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return "", fmt.Errorf("connecting to the service control manager: %w", err)
	}
	defer windows.CloseServiceHandle(m) //nolint:errcheck // nothing to do if closing fails
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return "", err
	}
	s, err := windows.OpenService(m, n, windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return "", fmt.Errorf("opening service %s: %w", name, err)
	}
	defer windows.CloseServiceHandle(s) //nolint:errcheck // nothing to do if closing fails
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(s, &st); err != nil {
		return "", fmt.Errorf("querying service %s: %w", name, err)
	}
	return ServiceStateName(st.CurrentState), nil
}

// InstanceID is the instance SSM runs us on, "" outside SSM.
func (Proxy) InstanceID(context.Context) (string, error) { return instanceID(), nil }
