package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ErrNoKubectl is returned when kubectl is not on PATH; tests that need
// it skip with this message.
var ErrNoKubectl = errors.New("kubectl not found on PATH")

// Kubectl runs kubectl against this control plane as a cluster admin,
// with stdin as its standard input (nil for none), and returns its
// combined output. A failure carries that output too.
func (e *Env) Kubectl(stdin []byte, args ...string) ([]byte, error) {
	bin, err := exec.LookPath("kubectl")
	if err != nil {
		return nil, ErrNoKubectl
	}
	path, err := e.kubeconfigFile()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"--kubeconfig", path}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("kubectl %v: %w\n%s", args, err, out)
	}
	return out, nil
}

// kubeconfigFile writes a cluster-admin kubeconfig once, into a
// directory Stop removes.
func (e *Env) kubeconfigFile() (string, error) {
	e.kubeconfigOnce.Do(func() {
		var raw []byte
		raw, e.kubeconfigErr = e.KubeConfig()
		if e.kubeconfigErr != nil {
			return
		}
		var dir string
		if dir, e.kubeconfigErr = os.MkdirTemp("", "ecswin-testenv-"); e.kubeconfigErr != nil {
			return
		}
		e.cleanup = append(e.cleanup, func() { _ = os.RemoveAll(dir) })
		e.kubeconfigPath = filepath.Join(dir, "kubeconfig")
		e.kubeconfigErr = os.WriteFile(e.kubeconfigPath, raw, 0o600)
	})
	return e.kubeconfigPath, e.kubeconfigErr
}

// EnsureNamespace creates namespace name unless it exists: a server-side
// dry run cannot create objects inside a namespace it only pretends to
// create.
func (e *Env) EnsureNamespace(ctx context.Context, name string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := e.Client.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", name, err)
	}
	return nil
}

// Kustomize renders the kustomization in dir (relative to the
// repository's top) with kubectl's built-in kustomize.
func Kustomize(dir string) ([]byte, error) {
	bin, err := exec.LookPath("kubectl")
	if err != nil {
		return nil, ErrNoKubectl
	}
	out, err := exec.Command(bin, "kustomize", filepath.Join(RepoRoot(), dir)).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("kubectl kustomize %s: %w: %s", dir, err, ee.Stderr)
		}
		return nil, fmt.Errorf("kubectl kustomize %s: %w", dir, err)
	}
	return out, nil
}
