// Command etcd is the unmodified etcd server, built from the Go module proxy
// so the envtest suites need no binary download.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
