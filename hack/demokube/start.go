package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/simpolicy"
	"github.com/ecswin/ecswin/internal/testenv"
)

// Demo pacing: the CRD's shortest inventory interval; only the SSM poll
// interval (a manager flag) is shorter than in production, so every step
// shows within a minute or two.
const (
	demoInventory = 10 * time.Second
	demoPoll      = time.Second
	policyName    = "demo"
	// eventsNS holds the Events of cluster-scoped objects.
	eventsNS = "default"
)

// Dummy credentials: the simulator checks no signature.
const (
	simAccessKeyID     = "AKIDSIMULATOR"
	simSecretAccessKey = "simulator-secret"
)

// demo is one run: what it started, so it can stop all of it.
type demo struct {
	opts       options
	work       string
	managerBin string
	start      time.Time
	out        io.Writer

	env     *testenv.Env
	sim     *fleetsim.Sim
	stopSim func()
	mgr     *exec.Cmd
	mgrDone chan error
	mgrLog  string
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, "%6.1fs  %s\n", time.Since(d.start).Seconds(), fmt.Sprintf(format, args...))
}

func (d *demo) startAll(ctx context.Context) error {
	t := time.Now()
	if err := os.Setenv("KUBEBUILDER_ASSETS", d.opts.assets); err != nil {
		return err
	}
	env, err := testenv.Start()
	if err != nil {
		return err
	}
	d.env = env
	d.say("local control plane up (kube-apiserver and etcd from %s) in %.1fs, FleetPolicy CRD installed", d.opts.assets, time.Since(t).Seconds())

	sc, err := fleetsim.LoadScenario(d.opts.scenario)
	if err != nil {
		return err
	}
	if d.sim, err = fleetsim.New(fleetsim.Options{}, sc); err != nil {
		return err
	}
	url, stop := d.sim.Start()
	d.stopSim = stop
	sum := d.sim.FleetSummary()
	d.say("fleet simulator %q at %s: %d Windows hosts, %d containers lacking the route, %d dead credential proxies",
		sc.Name, url, sum.WindowsHosts, sum.ContainersLackingRoute, sum.DeadProxies)

	kubeconfig, err := env.KubeConfig()
	if err != nil {
		return err
	}
	kubeconfigPath := filepath.Join(d.work, "kubeconfig")
	if err := os.WriteFile(kubeconfigPath, kubeconfig, 0o600); err != nil {
		return err
	}
	if err := d.startManager(ctx, kubeconfigPath); err != nil {
		return err
	}

	p := simpolicy.For(d.sim, url, policyName)
	p.Enforce, p.MaxInFlight, p.Inventory, p.Reverify = true, 1000, demoInventory, 5*time.Minute
	policy := simpolicy.YAML(p)
	fmt.Fprintf(d.out, "\n$ kubectl apply -f - <<EOF\n%sEOF\n", policy)
	out, err := env.Kubectl([]byte(policy), "apply", "-f", "-")
	fmt.Fprint(d.out, string(out))
	return err
}

// startManager runs the manager binary as an operator would with
// make run: against the kubeconfig, leader election off, and here also
// without metrics or probes, which nothing scrapes, and with the trust
// flags a simulator needs.
func (d *demo) startManager(_ context.Context, kubeconfig string) error {
	d.mgrLog = filepath.Join(d.work, "manager.log")
	logf, err := os.Create(d.mgrLog)
	if err != nil {
		return err
	}
	cmd := exec.Command(d.managerBin,
		"--leader-elect=false",
		"--metrics-bind-address=0",
		"--health-probe-bind-address=0",
		"--ssm-poll-interval="+demoPoll.String(),
		// The demo's operator allows its simulator, and pins the hash
		// the simulated hosts accept (a go build embeds none).
		"--allow-endpoint-overrides",
		"--bootstrap-sha256="+simpolicy.BootstrapSHA256,
	)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig,
		"AWS_ACCESS_KEY_ID="+simAccessKeyID, "AWS_SECRET_ACCESS_KEY="+simSecretAccessKey,
		"AWS_CONFIG_FILE="+filepath.Join(d.work, "no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(d.work, "no-aws-credentials"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PROFILE=",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so Ctrl-C reaches the demo first and the
	// demo stops the manager in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting the manager: %w", err)
	}
	d.mgr = cmd
	d.mgrDone = make(chan error, 1)
	go func() { d.mgrDone <- cmd.Wait(); logf.Close() }()
	d.say("the manager (%s) started: leader election off, SSM polled every %s, endpoint overrides allowed for the simulator (pid %d, log %s)",
		d.opts.manager, demoPoll, cmd.Process.Pid, d.mgrLog)
	return nil
}

// managerExited says whether the manager died, with its last log lines.
func (d *demo) managerExited() error {
	select {
	case err := <-d.mgrDone:
		d.mgrDone <- err
		return fmt.Errorf("the manager exited (%w); its last lines:\n%s", err, d.managerTail(20))
	default:
		return nil
	}
}

func (d *demo) managerTail(n int) string {
	raw, _ := os.ReadFile(d.mgrLog)
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// stopAll stops what startAll started, last first.
func (d *demo) stopAll() {
	var stopped []string
	if d.mgr != nil {
		_ = d.mgr.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-d.mgrDone:
			d.mgrDone <- err
		case <-time.After(15 * time.Second):
			_ = d.mgr.Process.Kill()
			d.mgrDone <- <-d.mgrDone
		}
		stopped = append(stopped, "the manager")
	}
	if d.stopSim != nil {
		d.stopSim()
		stopped = append(stopped, "the simulator")
	}
	if d.env != nil {
		if err := d.env.Stop(); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(d.out, "stopping the control plane: %v\n", err)
		}
		stopped = append(stopped, "the control plane")
	}
	if len(stopped) > 0 {
		d.say("stopped %s", strings.Join(stopped, ", "))
	}
}
