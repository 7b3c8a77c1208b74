package fleetsim_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// awsCLIs finds the working AWS CLIs: the one on PATH (the machine
// image's aws-cli v1) and Debian's v2 at /usr/bin/aws. The CLI has its
// own serializers, so passing through it proves wire compatibility
// independently of the Go SDK.
func awsCLIs(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{} // version line -> path
	candidates := []string{"/usr/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, p := range candidates {
		out, err := exec.Command(p, "--version").CombinedOutput()
		if err != nil {
			continue
		}
		version, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
		if _, dup := found[version]; !dup {
			found[version] = p
		}
	}
	if len(found) == 0 {
		t.Skip("no aws CLI found: install one (apt-get install awscli gives v2 at /usr/bin/aws) to run this test")
	}
	return found
}

type cli struct {
	t    *testing.T
	path string
	url  string
	env  []string
}

func newCLI(t *testing.T, path, url string) *cli {
	dir := t.TempDir()
	env := []string{
		"AWS_ACCESS_KEY_ID=AKIDSIMULATOR",
		"AWS_SECRET_ACCESS_KEY=simulator-secret",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"HOME=" + dir,
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "PYENV") || strings.HasPrefix(kv, "LANG=") {
			env = append(env, kv)
		}
	}
	return &cli{t: t, path: path, url: url, env: env}
}

// run runs one CLI command and decodes its JSON output into out.
func (c *cli) run(out any, args ...string) {
	c.t.Helper()
	stdout, stderr, err := c.exec(args...)
	if err != nil {
		c.t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		c.t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, stdout)
	}
}

func (c *cli) exec(args ...string) ([]byte, []byte, error) {
	full := append(append([]string{}, args...), "--endpoint-url", c.url, "--region", "us-east-1", "--output", "json")
	cmd := exec.Command(c.path, full...)
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.Bytes(), err
}

func TestAWSCLIWireCompatibility(t *testing.T) {
	for version, path := range awsCLIs(t) {
		t.Run(version, func(t *testing.T) { testAWSCLI(t, path) })
	}
}

func testAWSCLI(t *testing.T, path string) {
	e := newEnv(t, "small", fleetsim.Options{})
	c := newCLI(t, path, *e.ecs.Options().BaseEndpoint)

	var list struct{ ContainerInstanceArns []string }
	c.run(&list, "ecs", "list-container-instances", "--cluster", "windows",
		"--filter", "attribute:ecs.os-type == windows", "--page-size", "3")
	if len(list.ContainerInstanceArns) != 10 {
		t.Fatalf("CLI listed %d instances (paging by 3), want 10", len(list.ContainerInstanceArns))
	}

	var desc struct {
		ContainerInstances []struct {
			Ec2InstanceID  string `json:"ec2InstanceId"`
			AgentConnected bool   `json:"agentConnected"`
			RegisteredAt   any    `json:"registeredAt"` // v1 prints epoch numbers, v2 ISO strings
			Attributes     []struct{ Name, Value string }
		} `json:"containerInstances"`
		Failures []struct{ Arn, Reason string } `json:"failures"`
	}
	c.run(&desc, append([]string{"ecs", "describe-container-instances", "--cluster", "windows", "--container-instances"},
		append(list.ContainerInstanceArns[:2], "0123456789abcdef0123456789abcdef")...)...)
	if len(desc.ContainerInstances) != 2 || len(desc.Failures) != 1 || desc.Failures[0].Reason != "MISSING" {
		t.Fatalf("describe: %+v", desc)
	}
	if desc.ContainerInstances[0].Ec2InstanceID == "" || desc.ContainerInstances[0].RegisteredAt == nil || len(desc.ContainerInstances[0].Attributes) == 0 {
		t.Fatalf("describe fields: %+v", desc.ContainerInstances[0])
	}

	createDocument(t, e)
	id := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true, Drifted: true})[0]
	params, _ := json.Marshal(bootstrapParams(false))
	var sent struct {
		Command struct {
			CommandID string `json:"CommandId"`
			Status    string
		}
	}
	c.run(&sent, "ssm", "send-command", "--document-name", docName, "--instance-ids", id,
		"--parameters", string(params), "--timeout-seconds", "60", "--max-errors", "0")
	if sent.Command.CommandID == "" || sent.Command.Status != "Pending" {
		t.Fatalf("send-command: %+v", sent)
	}

	_, stderr, err := c.exec("ssm", "get-command-invocation", "--command-id", sent.Command.CommandID, "--instance-id", id)
	if err == nil || !strings.Contains(string(stderr), "InvocationDoesNotExist") {
		t.Fatalf("right after send-command: err %v, stderr %s; want InvocationDoesNotExist", err, stderr)
	}
	e.clock.Step(5 * time.Second)
	var inv struct {
		Status, StatusDetails, StandardOutputContent string
		ResponseCode                                 int
	}
	c.run(&inv, "ssm", "get-command-invocation", "--command-id", sent.Command.CommandID, "--instance-id", id)
	if inv.Status != "Success" || inv.ResponseCode != 0 || !strings.Contains(inv.StandardOutputContent, `"outcome"`) {
		t.Fatalf("get-command-invocation: %+v", inv)
	}
	if st, _ := e.sim.HostState(id); st.ContainersLackingRoute != 0 || !st.ProxyHealthy {
		t.Fatalf("host not repaired through the CLI: %+v", st)
	}

	_, stderr, err = c.exec("ecs", "list-container-instances", "--cluster", "nope")
	if err == nil || !strings.Contains(string(stderr), "ClusterNotFoundException") {
		t.Fatalf("unknown cluster: err %v, stderr %s", err, stderr)
	}
}
