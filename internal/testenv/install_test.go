package testenv

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestInstallManifestsAreAccepted renders config/default with kubectl's
// kustomize and applies it with a server-side dry run, so the real API
// server checks every object of the install (CRD, RBAC, Deployment).
func TestInstallManifestsAreAccepted(t *testing.T) {
	rendered, err := Kustomize("config/default")
	if errors.Is(err, ErrNoKubectl) {
		t.Skip("kubectl not found on PATH: the install manifests are not checked against the API server")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"CustomResourceDefinition", "ClusterRole", "Deployment", "Service", "ServiceAccount"} {
		if !bytes.Contains(rendered, []byte("kind: "+kind+"\n")) {
			t.Errorf("config/default renders no %s", kind)
		}
	}
	if err := Global.EnsureNamespace(context.Background(), "ecswin-system"); err != nil {
		t.Fatal(err)
	}
	out, err := Global.Kubectl(rendered, "apply", "--server-side", "--dry-run=server", "-f", "-")
	if err != nil {
		t.Fatalf("the API server rejected the install manifests: %v", err)
	}
	for _, want := range []string{"deployment.apps/ecswin-controller-manager", "poddisruptionbudget.policy/ecswin-controller-manager"} {
		if !strings.Contains(string(out), want+" serverside-applied (server dry run)") {
			t.Errorf("%s was not applied in the dry run:\n%s", want, out)
		}
	}
}
