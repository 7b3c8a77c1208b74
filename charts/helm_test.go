package charts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/ecswin/ecswin/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Where the chart installs in these tests: the names config/default gives.
const (
	release   = "ecswin"
	namespace = "ecswin-system"
)

var chartDir = filepath.Join(testenv.RepoRoot(), "charts", "ecswin")

// fullValues turns every optional part of the chart on.
var fullValues = filepath.Join(chartDir, "ci", "full-values.yaml")

// helm runs the helm that make test built from the Go module proxy
// (hack/tool.sh helm), named by $HELM.
func helm(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	bin := os.Getenv("HELM")
	if bin == "" {
		t.Fatal("HELM is not set: run the tests with `make test`, or export HELM=$(hack/tool.sh helm) " +
			"(it builds helm once from the Go module proxy, then reuses it)")
	}
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("helm %v: %w\n%s", args, err, stderr.String())
	}
	return out, nil
}

// render is helm template for the test release, with extra arguments
// (-f values, --set).
func render(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := helm(t, append([]string{"template", release, chartDir, "--namespace", namespace}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// objects decodes a multi-document manifest.
func objects(t *testing.T, manifest []byte) []*unstructured.Unstructured {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for {
		var o map[string]any
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decoding the manifest: %v", err)
		}
		if o != nil {
			out = append(out, &unstructured.Unstructured{Object: o})
		}
	}
}

// byKindName indexes objects as "Kind/name".
func byKindName(objs []*unstructured.Unstructured) map[string]*unstructured.Unstructured {
	out := make(map[string]*unstructured.Unstructured, len(objs))
	for _, o := range objs {
		out[o.GetKind()+"/"+o.GetName()] = o
	}
	return out
}
