// Package testenv starts a real kube-apiserver and etcd (controller-runtime's
// envtest) with ecswin's CRDs installed, for the tests that touch the
// Kubernetes API. The binaries come from hack/envtest-assets.sh, which
// builds them from the Go module proxy; `make test` points
// KUBEBUILDER_ASSETS at them. Nothing is ever downloaded at test time.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// Env is a running control plane with the ecswin CRDs installed.
type Env struct {
	Config *rest.Config
	Client client.Client
	Scheme *k8sruntime.Scheme
	env    *envtest.Environment

	kubeconfigOnce sync.Once
	kubeconfigPath string
	kubeconfigErr  error
	cleanup        []func()
}

// RepoRoot is the repository's top directory, found from this file's path
// so tests work from any package directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Scheme knows the built-in kinds and ecswin's.
func Scheme() *k8sruntime.Scheme {
	s := k8sruntime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(ecswinv1alpha1.AddToScheme(s))
	return s
}

// Start starts kube-apiserver and etcd and installs the CRDs from
// config/crd/bases. Call Stop when done (TestMain is the usual place).
func Start() (*Env, error) {
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		return nil, fmt.Errorf("KUBEBUILDER_ASSETS is not set: run the tests with `make test`, " +
			"or export KUBEBUILDER_ASSETS=$(hack/envtest-assets.sh) (it builds kube-apiserver and etcd once, then reuses them)")
	}
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(assets, bin)); err != nil {
			return nil, fmt.Errorf("KUBEBUILDER_ASSETS=%s has no %s: run hack/envtest-assets.sh to build it: %w", assets, bin, err)
		}
	}
	scheme := Scheme()
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(RepoRoot(), "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
		Scheme:                scheme,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd from %s: %w", assets, err)
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("creating a client: %w", err)
	}
	return &Env{Config: cfg, Client: c, Scheme: scheme, env: env}, nil
}

// Stop stops the control plane.
func (e *Env) Stop() error {
	for _, f := range e.cleanup {
		f()
	}
	return e.env.Stop()
}

// KubeConfig returns a kubeconfig for a cluster-admin user of this control
// plane, for tools such as kubectl.
func (e *Env) KubeConfig() ([]byte, error) {
	user, err := e.env.AddUser(envtest.User{Name: "ecswin-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, fmt.Errorf("adding an admin user: %w", err)
	}
	return user.KubeConfig()
}
