package memos_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/cli"
	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
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

// TestFaults: every fault takes the proxy down as a container sees it,
// but an administered exclusion (which protects the ports) and the address
// on vEthernet (nat) (odd, but it works).
func TestFaults(t *testing.T) {
	for f := memos.ProxyAddressNotUp; f <= memos.ProxyAdapterUncreatable; f++ {
		h := memos.NewHost(memos.HostOptions{})
		h.BreakProxy(f)
		if want := f == memos.ProxyProtectedRange || f == memos.ProxyAddressOnNAT; h.ProxyHealthy() != want {
			t.Errorf("fault %d: healthy %t, want %t", f, h.ProxyHealthy(), want)
		}
	}
}

// TestRuleBeforeAddressIsAGhost: a portproxy rule made while the address
// is not up never listens, as hostsetup.ps1 warns, until it is made again
// once the address is Preferred.
func TestRuleBeforeAddressIsAGhost(t *testing.T) {
	ctx := context.Background()
	h := memos.NewHost(memos.HostOptions{DADReads: 2})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(h.RemoveCredentialAdapter(ctx))
	must(h.DeletePortProxyRule(ctx, hostos.ProxyListen))
	subnet, _ := h.NATSubnet(ctx)
	must(h.CreateCredentialAdapter(ctx, subnet))
	if err := h.CreateCredentialAdapter(ctx, subnet); err == nil {
		t.Error("a second APIPA adapter was made")
	}
	must(h.AddProxyAddress(ctx, 10))
	must(h.AddPortProxyRule(ctx, hostos.ProxyRule)) // address still Tentative
	for range 3 {
		h.Adapters(ctx) //nolint:errcheck // reads let DAD finish
	}
	if h.ProbeTCP(ctx, hostos.ProxyListen) == nil || h.ProxyHealthy() {
		t.Fatal("a rule made before the address was up listens")
	}
	must(h.DeletePortProxyRule(ctx, hostos.ProxyListen))
	must(h.AddPortProxyRule(ctx, hostos.ProxyRule))
	if !h.ProxyHealthy() || h.FirewallRules() != 1 {
		t.Fatalf("after making the rule again: healthy %t, firewall rules %d", h.ProxyHealthy(), h.FirewallRules())
	}
}

func TestRunLock(t *testing.T) {
	h := memos.NewHost(memos.HostOptions{})
	release, err := h.AcquireRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.AcquireRun(context.Background()); !errors.Is(err, hostos.ErrBusy) {
		t.Fatalf("second run: %v, want ErrBusy", err)
	}
	release()
	if _, err := h.AcquireRun(context.Background()); err != nil {
		t.Fatalf("after release: %v", err)
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
