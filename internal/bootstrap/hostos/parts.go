package hostos

// Parts assembles an OS from separate implementations, as the real binary
// does: IP Helper for the network, the registry and netsh for the proxy,
// the Docker Engine API for containers.
type Parts struct {
	Network
	Proxy
	Containers
}

var _ OS = Parts{}
