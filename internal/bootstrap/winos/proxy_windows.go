//go:build windows

package winos

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os/exec"

	"golang.org/x/sys/windows/registry"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// repairScript does what AWS documents after a restart: remove the host
// virtual adapter carrying 169.254.170.2, then run Initialize-ECSAgent
// again with the cluster the agent is configured for (on Windows the agent
// reads ECS_CLUSTER from the machine environment). It is a fixed text:
// nothing from outside is spliced in.
const repairScript = `$ErrorActionPreference = 'Stop'
Import-Module ECSTools
$cluster = [Environment]::GetEnvironmentVariable('ECS_CLUSTER', 'Machine')
if (-not $cluster) { throw 'ECS_CLUSTER is not set for the machine' }
$proxy = Get-NetIPAddress -IPAddress 169.254.170.2 -ErrorAction SilentlyContinue
foreach ($p in $proxy) {
  $name = (Get-NetAdapter -InterfaceIndex $p.InterfaceIndex).Name -replace '^vEthernet \((.*)\)$', '$1'
  Remove-VMNetworkAdapter -ManagementOS -Name $name -Confirm:$false
}
Initialize-ECSAgent -Cluster $cluster -EnableTaskIAMRole
`

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

// ExcludedPortRanges asks netsh, which reads the dynamic exclusions winnat
// makes; IP Helper has no public call for them.
func (Proxy) ExcludedPortRanges(ctx context.Context) ([]hostos.PortRange, error) {
	out, err := exec.CommandContext(ctx, "netsh.exe", "interface", "ipv4", "show", "excludedportrange", "protocol=tcp").Output()
	if err != nil {
		return nil, fmt.Errorf("running netsh: %w", err)
	}
	return ParseExcludedPortRanges(string(out))
}

// ProbeTCP connects to addr.
func (Proxy) ProbeTCP(ctx context.Context, addr netip.AddrPort) error { return probeTCP(ctx, addr) }

// InstanceID is the instance SSM runs us on, "" outside SSM.
func (Proxy) InstanceID(context.Context) (string, error) { return instanceID(), nil }

// RepairProxy removes the proxy interface and initialises the agent again.
func (Proxy) RepairProxy(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", repairScript)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("re-initialising the ECS agent: %w: %s", err, tail(out, 400))
	}
	return nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
