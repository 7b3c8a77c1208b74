//go:build unix

package engine_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the whole test process has used: the engine,
// the SDK and the simulator serving it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
