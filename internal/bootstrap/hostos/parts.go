package hostos

// Parts assembles an OS from separate implementations, as the real binary
// does: IP Helper for the network, the registry, the service manager and
// netsh for the proxy, PowerShell for the proxy's repair, the Docker Engine
// API for containers, a mutex and a Job object for runs.
type Parts struct {
	Network
	Proxy
	ProxyRepair
	Containers
	Runs
}

var _ OS = Parts{}
