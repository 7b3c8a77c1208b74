//go:build windows

package winos

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"
)

// The Windows test binary doubles as the helpers the Wine test needs, by
// its first argument:
//
//	fake-service NAME  a Windows service that runs until stopped (the Wine
//	                   test registers it as iphlpsvc, which Wine lacks)
//	job-holder         takes a run (AcquireRun), starts "sleeper", prints
//	                   its PID and exits once its stdin closes, so the
//	                   test can see the sleeper alive, then ended by the
//	                   Job object
//	sleeper            sleeps a minute
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "fake-service":
			if err := svc.Run(os.Args[2], fakeService{}); err != nil {
				os.Exit(3)
			}
			os.Exit(0)
		case "job-holder":
			os.Exit(holdJob())
		case "sleeper":
			time.Sleep(time.Minute)
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}

type fakeService struct{}

func (fakeService) Execute(_ []string, requests <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for r := range requests {
		switch r.Cmd {
		case svc.Interrogate:
			status <- r.CurrentStatus
		case svc.Stop, svc.Shutdown:
			status <- svc.Status{State: svc.StopPending}
			return false, 0
		}
	}
	return false, 0
}

func holdJob() int {
	if _, err := (Runs{}).AcquireRun(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	self, err := os.Executable()
	if err != nil {
		return 5
	}
	sleeper := exec.Command(self, "sleeper")
	if err := sleeper.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 6
	}
	fmt.Println(sleeper.Process.Pid)
	io.Copy(io.Discard, os.Stdin) //nolint:errcheck // any end of stdin will do
	return 0
}
