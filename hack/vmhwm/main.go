// Command vmhwm measures the peak resident memory (VmHWM) of `ecswinctl
// run` against `ecswinctl simulate` in another process, on a generated
// fleet (10,000 Windows instances with 5 tasks each by default), over a
// number of passes, as an operator would run them:
//
//	go run ./hack/vmhwm                      # build ecswinctl, 10,000 hosts, 12 passes
//	go run ./hack/vmhwm -instances 1000 -passes 6 -ecswinctl bin/ecswinctl
//
// It prints the controller's VmHWM and VmRSS after each pass (read from
// /proc, so Linux only) and the simulator's at the end. The simulator
// holds the fleet, so its memory is not the controller's. With
// -max-in-flight 5000 the whole fleet is verified within three passes, and
// the passes after are the steady state of a verified fleet; -run-env
// GODEBUG=gctrace=1 shows the live heap at each collection.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// anyDigest is the route-bootstrap.exe hash the run pins: the simulator
// downloads nothing, so any well-formed digest does.
const anyDigest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

type options struct {
	ecswinctl   string
	instances   int
	tasks       int
	passes      int
	mode        string
	maxInFlight int
	timeout     time.Duration
	env         []string
}

func main() {
	var o options
	flag.StringVar(&o.ecswinctl, "ecswinctl", "", "ecswinctl binary to measure (default: go build ./cmd/ecswinctl into a temporary directory)")
	flag.IntVar(&o.instances, "instances", 10000, "Windows instances in the generated fleet")
	flag.IntVar(&o.tasks, "tasks", 5, "running tasks per instance")
	flag.IntVar(&o.passes, "passes", 12, "passes of ecswinctl run to watch")
	flag.StringVar(&o.mode, "mode", "Enforce", "spec.remediation.mode of the policy")
	flag.IntVar(&o.maxInFlight, "max-in-flight", 0, "spec.remediation.maxInFlight (0: the CRD's default)")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Minute, "give up after this long")
	env := flag.String("run-env", "", "extra environment for ecswinctl run, comma-separated (GODEBUG=gctrace=1,GOGC=50)")
	flag.Parse()
	if *env != "" {
		o.env = strings.Split(*env, ",")
	}
	if err := measure(o); err != nil {
		fmt.Fprintln(os.Stderr, "vmhwm:", err)
		os.Exit(1)
	}
}

func measure(o options) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "ecswin-vmhwm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.ecswinctl
	if bin == "" {
		bin = filepath.Join(dir, "ecswinctl")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/ecswinctl")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building ecswinctl: %w", err)
		}
	}
	sc := scenario.Generate(scenario.Size{WindowsInstances: o.instances, TasksPerInstance: o.tasks, Seed: 7})
	scFile := filepath.Join(dir, "fleet.yaml")
	raw, err := yaml.Marshal(sc)
	if err != nil {
		return err
	}
	if err := os.WriteFile(scFile, raw, 0o600); err != nil {
		return err
	}

	sim := exec.CommandContext(ctx, bin, "simulate", "--scenario", scFile, "--listen", "127.0.0.1:0")
	simOut, err := sim.StdoutPipe()
	if err != nil {
		return err
	}
	sim.Stderr = os.Stderr
	if err := sim.Start(); err != nil {
		return fmt.Errorf("starting the simulator: %w", err)
	}
	defer stop(sim)
	url, err := simulatorURL(simOut)
	if err != nil {
		return err
	}
	go func() { _, _ = io.Copy(io.Discard, simOut) }()

	policy := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(policy, []byte(policyYAML(sc, url, o)), 0o600); err != nil {
		return err
	}
	run := exec.CommandContext(ctx, bin, "run", "--policy", policy, "--metrics-bind-address", "0",
		"--allow-endpoint-overrides", "--bootstrap-sha256", anyDigest)
	run.Env = append(append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDSIMULATOR", "AWS_SECRET_ACCESS_KEY=simulator-secret"), o.env...)
	runOut, err := run.StdoutPipe()
	if err != nil {
		return err
	}
	run.Stderr = os.Stderr
	start := time.Now()
	if err := run.Start(); err != nil {
		return fmt.Errorf("starting ecswinctl run: %w", err)
	}
	defer stop(run)

	fmt.Printf("fleet: %d Windows instances, %d tasks each; policy %s; GOGC=%s GOMEMLIMIT=%s %s\n",
		o.instances, o.tasks, o.mode, os.Getenv("GOGC"), os.Getenv("GOMEMLIMIT"), strings.Join(o.env, " "))
	fmt.Printf("%5s %8s %10s %10s  %s\n", "pass", "elapsed", "VmHWM MiB", "VmRSS MiB", "ecswinctl run")
	lines := bufio.NewScanner(runOut)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	pass := 0
	for pass < o.passes && lines.Scan() {
		line := lines.Text()
		if !strings.Contains(line, "│") {
			continue
		}
		pass++
		hwm, rss, err := memory(run.Process.Pid)
		if err != nil {
			return err
		}
		fmt.Printf("%5d %7.0fs %10.1f %10.1f  %s\n", pass, time.Since(start).Seconds(), hwm, rss, clipLine(line))
	}
	if pass < o.passes {
		return fmt.Errorf("ecswinctl run printed %d pass line(s), want %d: %w", pass, o.passes, lines.Err())
	}
	if hwm, rss, err := memory(sim.Process.Pid); err == nil {
		fmt.Printf("simulator: VmHWM %.1f MiB, VmRSS %.1f MiB (not the controller's)\n", hwm, rss)
	}
	return nil
}

// simulatorURL reads the simulator's banner up to the endpoint it serves.
func simulatorURL(r io.Reader) (string, error) {
	re := regexp.MustCompile(`AWS_ENDPOINT_URL_ECS=(\S+)`)
	s := bufio.NewScanner(r)
	for s.Scan() {
		if m := re.FindStringSubmatch(s.Text()); m != nil {
			return m[1], nil
		}
	}
	return "", errors.New("the simulator printed no endpoint")
}

func policyYAML(sc *scenario.Scenario, url string, o options) string {
	clusters := make([]string, len(sc.Clusters))
	for i, c := range sc.Clusters {
		clusters[i] = strconv.Quote(c.Name)
	}
	inFlight := ""
	if o.maxInFlight > 0 {
		inFlight = fmt.Sprintf("\n    maxInFlight: %d", o.maxInFlight)
	}
	return fmt.Sprintf(`apiVersion: ecswin.io/v1alpha1
kind: FleetPolicy
metadata: {name: vmhwm}
spec:
  aws:
    region: %s
    endpoints: {ecs: %q, ssm: %q}
  clusters: [%s]
  remediation:
    mode: %s
    bootstrap: {source: "https://example.com/route-bootstrap.exe"}%s
  intervals: {inventory: 10s}
`, sc.Region, url, url, strings.Join(clusters, ", "), o.mode, inFlight)
}

// memory reads a process's peak and current resident set, in MiB.
func memory(pid int) (hwm, rss float64, err error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("reading memory of process %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kib, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		switch name {
		case "VmHWM":
			hwm = kib / 1024
		case "VmRSS":
			rss = kib / 1024
		}
	}
	return hwm, rss, nil
}

func stop(c *exec.Cmd) {
	if c.Process == nil {
		return
	}
	_ = c.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.Process.Kill()
		<-done
	}
}

func clipLine(s string) string {
	if r := []rune(s); len(r) > 110 {
		return string(r[:110]) + "…"
	}
	return s
}
