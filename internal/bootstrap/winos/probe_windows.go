package winos

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"
)

// probeTimeout bounds one TCP probe of the agent.
const probeTimeout = 2 * time.Second

// probeTCP connects to addr and closes at once.
func probeTCP(ctx context.Context, addr netip.AddrPort) error {
	d := net.Dialer{Timeout: probeTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr.String())
	if err != nil {
		return fmt.Errorf("probing %s: %w", addr, err)
	}
	return conn.Close()
}

// instanceID reads the EC2 instance ID SSM Run Command gives every command
// it runs; outside SSM it is unknown.
func instanceID() string { return os.Getenv("AWS_SSM_INSTANCE_ID") }
