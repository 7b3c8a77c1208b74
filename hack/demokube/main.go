// Command demokube is `make demo-kube`: the product as a controller on
// this machine. It starts the cached local control plane (the envtest
// kube-apiserver and etcd that hack/envtest-assets.sh builds once), the
// fleet simulator, and the real manager binary against both; applies a
// FleetPolicy for the simulated fleet; and shows, with kubectl, the
// policy's status and Events as the fleet converges, then kubectl
// describe. It stops everything it started, also on Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

type options struct {
	manager  string
	assets   string
	scenario string
	// limit ends the demo whatever happens.
	limit time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.manager, "manager", "bin/manager", "the manager binary to run (make demo-kube builds it)")
	flag.StringVar(&o.assets, "assets", "", "directory with kube-apiserver and etcd (hack/envtest-assets.sh prints it)")
	flag.StringVar(&o.scenario, "scenario", "demo", "the simulated fleet: a built-in scenario or a scenario file")
	flag.DurationVar(&o.limit, "limit", 3*time.Minute, "stop after this long even if the fleet has not settled")
	flag.Parse()
	if o.assets == "" {
		fmt.Fprintln(os.Stderr, "demokube: --assets is required: run make demo-kube, or pass --assets \"$(hack/envtest-assets.sh)\"")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demokube:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	manager, err := filepath.Abs(o.manager)
	if err != nil {
		return err
	}
	if _, err := os.Stat(manager); err != nil {
		return fmt.Errorf("no manager binary at %s (go build -o bin/manager ./cmd/manager): %w", o.manager, err)
	}
	work, err := os.MkdirTemp("", "ecswin-demo-kube-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	d := &demo{opts: o, work: work, managerBin: manager, start: time.Now(), out: os.Stdout}
	defer d.stopAll()
	if err := d.startAll(ctx); err != nil {
		return err
	}
	return d.watch(ctx)
}
