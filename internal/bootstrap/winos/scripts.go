package winos

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"unicode/utf16"
)

// The credential endpoint's repair steps that need PowerShell. Each is a
// fixed text: values reach it only through environment variables that Go
// formats from typed values (an interface index, a prefix), so nothing is
// ever spliced into a script, and what the PowerShell parse check reads is
// exactly what runs. The steps follow hostsetup.ps1 in amazon-ecs-agent's
// misc/windows-deploy, which is what Initialize-ECSAgent -EnableTaskIAMRole
// does for the proxy; the parts ecswin may change are the APIPA adapter,
// the address on it, the route through it, the firewall rule and the
// portproxy rule (netsh, below), and nothing else.

// psPreamble stops at the first error and keeps every stream but errors
// quiet: Windows PowerShell 5.1 would otherwise write warnings and
// progress where route-bootstrap reads the step's output
// (about_Preference_Variables).
const psPreamble = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
`

// Environment variables the scripts read.
const (
	envNATSubnet = "ECSWIN_NAT_SUBNET"
	envIfIndex   = "ECSWIN_IF_INDEX"
)

// CreateAdapterScript adds the APIPA host vNIC on the nat switch
// (hostsetup.ps1: Add-VMNetworkAdapter -VMNetworkAdapterName "APIPA"
// -SwitchName nat -ManagementOS), routes the nat subnet through it
// (hostsetup.ps1: New-NetRoute -DestinationPrefix $dockerSubnet -ifIndex),
// and adds the inbound rule for 51679 only when none of that name exists
// (hostsetup.ps1 adds it on every run, which is how hosts collect
// duplicates).
const CreateAdapterScript = psPreamble + `Add-VMNetworkAdapter -ManagementOS -SwitchName 'nat' -Name 'APIPA'
$adapters = @(Get-NetAdapter -Name 'vEthernet (APIPA)')
if ($adapters.Count -ne 1) { throw "expected one adapter vEthernet (APIPA), found $($adapters.Count)" }
New-NetRoute -DestinationPrefix $env:ECSWIN_NAT_SUBNET -InterfaceIndex $adapters[0].ifIndex | Out-Null
$rule = Get-NetFirewallRule -DisplayName 'Allow Inbound Port 51679' -ErrorAction SilentlyContinue
if (-not $rule) {
  New-NetFirewallRule -DisplayName 'Allow Inbound Port 51679' -Direction Inbound -LocalPort 51679 -Protocol TCP -Action Allow | Out-Null
}
`

// RemoveAdapterScript removes the APIPA host vNIC: the "proxy interface"
// that the developer guide (Windows IAM roles for tasks) says to delete
// after a restart. -Name matches that vNIC only; vEthernet (nat), which
// carries every container's gateway, is never named.
const RemoveAdapterScript = psPreamble + `Remove-VMNetworkAdapter -ManagementOS -Name 'APIPA' -Confirm:$false
`

// AddAddressScript puts 169.254.170.2/32 on the APIPA adapter
// (hostsetup.ps1: New-NetIPAddress -InterfaceIndex -IPAddress
// 169.254.170.2 -PrefixLength 32). route-bootstrap then waits for the
// address to turn Preferred before it makes the portproxy rule, as
// hostsetup.ps1 does.
const AddAddressScript = psPreamble + `$ifIndex = [int]$env:ECSWIN_IF_INDEX
New-NetIPAddress -InterfaceIndex $ifIndex -IPAddress '169.254.170.2' -PrefixLength 32 | Out-Null
`

// Scripts lists every PowerShell text route-bootstrap runs, by name, for
// the parse check.
func Scripts() map[string]string {
	return map[string]string{
		"create-adapter": CreateAdapterScript,
		"remove-adapter": RemoveAdapterScript,
		"add-address":    AddAddressScript,
	}
}

// createAdapterEnv and addAddressEnv are the scripts' inputs.
func createAdapterEnv(subnet netip.Prefix) []string {
	return []string{envNATSubnet + "=" + subnet.Masked().String()}
}

func addAddressEnv(ifIndex uint32) []string {
	return []string{envIfIndex + "=" + strconv.FormatUint(uint64(ifIndex), 10)}
}

// encodeCommand is PowerShell's -EncodedCommand form of a script: base64
// of its UTF-16LE text, which no command-line quoting can alter.
func encodeCommand(script string) string {
	units := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		b[2*i], b[2*i+1] = byte(u), byte(u>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// powershellArgs are the arguments after powershell.exe's path.
func powershellArgs(script string) []string {
	return []string{"-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encodeCommand(script)}
}

// netshAddRuleArgs and netshDeleteRuleArgs are hostsetup.ps1's portproxy
// command (netsh interface portproxy add v4tov4 listenaddress=169.254.170.2
// listenport=80 connectaddress=127.0.0.1 connectport=51679) and its
// inverse, after netsh.exe's path.
func netshAddRuleArgs(listen, connect netip.AddrPort) []string {
	return []string{"interface", "portproxy", "add", "v4tov4",
		"listenaddress=" + listen.Addr().String(), "listenport=" + strconv.Itoa(int(listen.Port())),
		"connectaddress=" + connect.Addr().String(), "connectport=" + strconv.Itoa(int(connect.Port()))}
}

func netshDeleteRuleArgs(listen netip.AddrPort) []string {
	return []string{"interface", "portproxy", "delete", "v4tov4",
		"listenaddress=" + listen.Addr().String(), "listenport=" + strconv.Itoa(int(listen.Port()))}
}

// Service states as the service control manager numbers them
// (SERVICE_STATUS.dwCurrentState), named as PowerShell's Get-Service
// names them.
var serviceStates = map[uint32]string{
	1: "Stopped", 2: "StartPending", 3: "StopPending", 4: "Running",
	5: "ContinuePending", 6: "PausePending", 7: "Paused",
}

// ServiceStateName names a dwCurrentState.
func ServiceStateName(state uint32) string {
	if s, ok := serviceStates[state]; ok {
		return s
	}
	return "Unknown(" + strconv.FormatUint(uint64(state), 10) + ")"
}
