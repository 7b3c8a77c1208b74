package memos_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/memos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

func TestNewHostIsHealthy(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{})
	if !h.ProxyHealthy() {
		t.Fatal("new host: proxy not healthy")
	}
	if n := h.ContainersLackingRoute(); n != 0 {
		t.Fatalf("new host: %d containers lacking route", n)
	}
}

func TestFaults(t *testing.T) {
	tests := map[string]struct {
		fault       memos.ProxyFault
		healthyLate bool // after RepairProxy
	}{
		"address not up":      {fault: memos.ProxyAddressNotUp, healthyLate: true},
		"rule missing":        {fault: memos.ProxyRuleMissing, healthyLate: true},
		"listener down":       {fault: memos.ProxyListenerDown, healthyLate: true},
		"address missing":     {fault: memos.ProxyAddressMissing, healthyLate: true},
		"excluded port range": {fault: memos.ProxyExcludedPortRange, healthyLate: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := memos.NewHost(memos.HostOptions{})
			h.BreakProxy(tc.fault)
			if h.ProxyHealthy() {
				t.Fatal("proxy healthy after fault")
			}
			if err := h.RepairProxy(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := h.ProxyHealthy(); got != tc.healthyLate {
				t.Fatalf("after repair: healthy %t, want %t", got, tc.healthyLate)
			}
		})
	}
}

func TestRebootStripsRoutesAndProxy(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{})
	for i := range 3 {
		h.AddContainer(memos.ContainerSpec{ID: fmt.Sprint("c", i), WithRoute: true})
	}
	h.AddContainer(memos.ContainerSpec{ID: "vpc", NetworkMode: memos.NetworkAWSVPC})
	h.Reboot()
	if h.ProxyHealthy() {
		t.Error("proxy healthy after reboot")
	}
	if n := h.ContainersLackingRoute(); n != 3 {
		t.Errorf("lacking after reboot = %d, want 3", n)
	}
}

func TestHostCommandRepairsEverything(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{InstanceID: "i-0123456789abcdef0"})
	h.AddContainer(memos.ContainerSpec{ID: "ok", WithRoute: true})
	h.AddContainer(memos.ContainerSpec{ID: "bare"})
	h.AddContainer(memos.ContainerSpec{ID: "vpc", NetworkMode: memos.NetworkAWSVPC})
	h.BreakProxy(memos.ProxyAddressNotUp)
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"host", "--repair-proxy"}, cli.Env{OS: h, Stdout: &out, Stderr: &errOut, Executable: "rb.exe"})
	if code != report.ExitRepaired {
		t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, report.ExitRepaired, out.String(), errOut.String())
	}
	r, err := report.Parse(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary
	if s.ContainersChecked != 2 || s.ContainersSkipped != 1 || s.ContainersLackingRouteBefore != 1 ||
		s.ContainersRepaired != 1 || !s.ProxyRepaired || s.InstanceID != "i-0123456789abcdef0" {
		t.Errorf("summary %+v", s)
	}
	if !h.ProxyHealthy() || h.ContainersLackingRoute() != 0 {
		t.Error("host not repaired")
	}
}

// TestConcurrentUse runs host commands while the host changes under them;
// run with -race.
func TestConcurrentUse(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{})
	for i := range 8 {
		h.AddContainer(memos.ContainerSpec{ID: fmt.Sprint("c", i)})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			h.StripRoutes(fmt.Sprint("c", i%8))
			h.AddContainer(memos.ContainerSpec{ID: fmt.Sprint("n", i)})
			h.RemoveContainer(fmt.Sprint("n", i))
		}
	}()
	for range 5 {
		var out bytes.Buffer
		code := cli.Run(context.Background(), []string{"host", "--parallel", "4"}, cli.Env{OS: h, Stdout: &out, Executable: "rb.exe"})
		if _, err := report.Parse(out.Bytes()); err != nil || code == report.ExitError || code == report.ExitUsage {
			t.Fatalf("exit %d: %v", code, err)
		}
	}
	<-done
}
