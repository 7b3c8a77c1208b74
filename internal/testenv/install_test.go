package testenv

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestMain(m *testing.M) { Main(m) }

// TestInstallManifestsAreAccepted renders config/default with kubectl's
// kustomize and applies it with a server-side dry run, so the real API
// server checks every object of the install (CRD, RBAC, Deployment).
func TestInstallManifestsAreAccepted(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not found on PATH: the install manifests are not checked against the API server")
	}
	rendered, err := exec.Command(kubectl, "kustomize", filepath.Join(RepoRoot(), "config", "default")).Output()
	if err != nil {
		t.Fatalf("kubectl kustomize config/default: %v", stderrOf(err))
	}
	for _, kind := range []string{"CustomResourceDefinition", "ClusterRole", "Deployment", "Service", "ServiceAccount"} {
		if !bytes.Contains(rendered, []byte("kind: "+kind+"\n")) {
			t.Errorf("config/default renders no %s", kind)
		}
	}

	// A dry run cannot create objects inside a namespace it only pretends
	// to create, so the namespace is made for real first.
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ecswin-system"}}
	if err := Global.Client.Create(context.Background(), ns); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("creating namespace ecswin-system: %v", err)
	}
	kubeconfig, err := Global.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, kubeconfig, 0o600); err != nil {
		t.Fatal(err)
	}
	apply := exec.Command(kubectl, "--kubeconfig", path, "apply", "--server-side", "--dry-run=server", "-f", "-")
	apply.Stdin = bytes.NewReader(rendered)
	out, err := apply.CombinedOutput()
	if err != nil {
		t.Fatalf("the API server rejected the install manifests: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "deployment.apps/ecswin-controller-manager serverside-applied (server dry run)") {
		t.Fatalf("the Deployment was not applied in the dry run:\n%s", out)
	}
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return err.Error() + ": " + string(ee.Stderr)
	}
	return err.Error()
}
