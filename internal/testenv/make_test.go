package testenv

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The Makefile's cluster targets, as an operator runs them against the
// current kubeconfig: install and uninstall the CRD, deploy the manager
// with an image of one's own, undeploy it.
func TestMakeInstallAndDeploy(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not found on PATH")
	}
	if _, err := Global.Kubectl(nil, "version", "--client"); errors.Is(err, ErrNoKubectl) {
		t.Skip("kubectl not found on PATH")
	}
	path, err := Global.kubeconfigFile()
	if err != nil {
		t.Fatal(err)
	}
	makeTarget := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("make", append([]string{"--no-print-directory", "-C", RepoRoot()}, args...)...)
		cmd.Env = append(os.Environ(), "KUBECONFIG="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	get := func(args ...string) string {
		t.Helper()
		out, err := Global.Kubectl(nil, args...)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}

	makeTarget("install")
	if got := get("get", "crd", "fleetpolicies.ecswin.io", "-o", "name"); got != "customresourcedefinition.apiextensions.k8s.io/fleetpolicies.ecswin.io" {
		t.Errorf("after make install: %q", got)
	}

	const img = "registry.example.com:5000/ecswin/manager:v1.2.3"
	makeTarget("deploy", "IMG="+img)
	if got := get("get", "deployment", "ecswin-controller-manager", "-n", "ecswin-system", "-o", "jsonpath={.spec.template.spec.containers[0].image}"); got != img {
		t.Errorf("make deploy IMG=%s deployed image %q", img, got)
	}

	// Without a namespace controller a deleted namespace never goes, so
	// the removals are checked by the API server without deleting.
	for _, target := range []string{"undeploy", "uninstall"} {
		out := makeTarget(target, "DELETE_FLAGS=--dry-run=server")
		for _, want := range []string{`customresourcedefinition.apiextensions.k8s.io "fleetpolicies.ecswin.io" deleted (server dry run)`} {
			if !strings.Contains(out, want) {
				t.Errorf("make %s does not delete the CRD:\n%s", target, out)
			}
		}
		if target == "undeploy" && !strings.Contains(out, `deployment.apps "ecswin-controller-manager" deleted (server dry run)`) {
			t.Errorf("make undeploy does not delete the Deployment:\n%s", out)
		}
	}
}
