// Command printinfo prints what buildinfo holds, for the package's test of
// the linker flags.
package main

import (
	"fmt"

	"github.com/ecswin/ecswin/internal/buildinfo"
)

func main() {
	fmt.Print(buildinfo.Version(), " ", buildinfo.Commit(), " ", buildinfo.RouteBootstrapSHA256())
}
