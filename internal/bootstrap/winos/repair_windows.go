//go:build windows

package winos

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"

	"golang.org/x/sys/windows"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Repair makes the credential endpoint's parts with netsh and PowerShell,
// both by absolute path under the system directory (never through PATH).
type Repair struct{}

var _ hostos.ProxyRepair = Repair{}

// systemTool is the absolute path of a program in the system directory,
// as the operating system reports it (not %SystemRoot%, which a process
// environment could change).
func systemTool(rel string) (string, error) {
	dir, err := windows.GetSystemDirectory()
	if err != nil {
		return "", fmt.Errorf("locating the system directory: %w", err)
	}
	return filepath.Join(dir, rel), nil
}

// AddPortProxyRule runs netsh interface portproxy add v4tov4.
func (Repair) AddPortProxyRule(ctx context.Context, r hostos.PortProxyRule) error {
	return runTool(ctx, "netsh.exe", nil, netshAddRuleArgs(r.Listen, r.Connect)...)
}

// DeletePortProxyRule runs netsh interface portproxy delete v4tov4.
func (Repair) DeletePortProxyRule(ctx context.Context, listen netip.AddrPort) error {
	return runTool(ctx, "netsh.exe", nil, netshDeleteRuleArgs(listen)...)
}

// CreateCredentialAdapter runs CreateAdapterScript.
func (Repair) CreateCredentialAdapter(ctx context.Context, natSubnet netip.Prefix) error {
	return runTool(ctx, powershellPath, createAdapterEnv(natSubnet), powershellArgs(CreateAdapterScript)...)
}

// RemoveCredentialAdapter runs RemoveAdapterScript.
func (Repair) RemoveCredentialAdapter(ctx context.Context) error {
	return runTool(ctx, powershellPath, nil, powershellArgs(RemoveAdapterScript)...)
}

// AddProxyAddress runs AddAddressScript.
func (Repair) AddProxyAddress(ctx context.Context, ifIndex uint32) error {
	return runTool(ctx, powershellPath, addAddressEnv(ifIndex), powershellArgs(AddAddressScript)...)
}

// powershellPath is Windows PowerShell 5.1 under the system directory.
const powershellPath = `WindowsPowerShell\v1.0\powershell.exe`

// runTool runs a system program with extra environment variables and
// returns its output's tail on failure. The process inherits the run's Job
// object, so it dies with route-bootstrap.
func runTool(ctx context.Context, rel string, env []string, args ...string) error {
	path, err := systemTool(rel)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(path), err, tail(out, 400))
	}
	return nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
