package charts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/testenv"
)

// managerPod is the Deployment's pod spec and its one container.
func managerPod(t *testing.T, objs map[string]*unstructured.Unstructured) (pod, container map[string]any) {
	t.Helper()
	d := objs["Deployment/ecswin-controller-manager"]
	if d == nil {
		t.Fatal("no Deployment")
	}
	pod = d.Object["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	return pod, pod["containers"].([]any)[0].(map[string]any)
}

// mountedCertSecret is the Secret the manager's --metrics-cert-path
// directory is mounted from, "" when there is none.
func mountedCertSecret(t *testing.T, objs map[string]*unstructured.Unstructured) string {
	t.Helper()
	pod, c := managerPod(t, objs)
	if !slices.Contains(toStrings(c["args"]), "--metrics-cert-path=/tmp/k8s-metrics-server/metrics-certs") {
		return ""
	}
	mounts, _ := c["volumeMounts"].([]any)
	vols, _ := pod["volumes"].([]any)
	for _, m := range mounts {
		m := m.(map[string]any)
		if m["mountPath"] != "/tmp/k8s-metrics-server/metrics-certs" {
			continue
		}
		for _, v := range vols {
			v := v.(map[string]any)
			if v["name"] == m["name"] {
				return fmt.Sprint(v["secret"].(map[string]any)["secretName"])
			}
		}
	}
	t.Fatal("--metrics-cert-path is given but nothing is mounted there")
	return ""
}

// With cert-manager, the chart issues the metrics certificate for the
// Service's names, mounts its Secret where --metrics-cert-path says, and
// the ServiceMonitor verifies it with the Secret's CA.
func TestChartMetricsCertificate(t *testing.T) {
	objs := byKindName(objects(t, render(t, "--set", "metrics.certManager.enabled=true", "--set", "serviceMonitor.enabled=true")))
	cert := objs["Certificate/ecswin-metrics-certs"]
	if cert == nil || objs["Issuer/ecswin-selfsigned-issuer"] == nil {
		t.Fatal("no Certificate or self-signed Issuer")
	}
	spec := cert.Object["spec"].(map[string]any)
	secret := fmt.Sprint(spec["secretName"])
	if got := mountedCertSecret(t, objs); got != secret {
		t.Errorf("the manager mounts %q, the Certificate writes %q", got, secret)
	}
	if names := toStrings(spec["dnsNames"]); !slices.Contains(names, "ecswin-controller-manager-metrics-service.ecswin-system.svc") {
		t.Errorf("dnsNames %v lack the metrics Service", names)
	}
	ep := objs["ServiceMonitor/ecswin-controller-manager-metrics-monitor"].Object["spec"].(map[string]any)["endpoints"].([]any)[0].(map[string]any)
	tlsc := ep["tlsConfig"].(map[string]any)
	ca, _ := tlsc["ca"].(map[string]any)
	if tlsc["insecureSkipVerify"] != false || ca == nil || ca["secret"].(map[string]any)["name"] != secret ||
		tlsc["serverName"] != "ecswin-controller-manager-metrics-service.ecswin-system.svc" {
		t.Errorf("the ServiceMonitor does not verify the certificate: %v", tlsc)
	}

	own := byKindName(objects(t, render(t, "--set", "metrics.certSecret=my-metrics-tls")))
	if got := mountedCertSecret(t, own); got != "my-metrics-tls" || own["Certificate/ecswin-metrics-certs"] != nil {
		t.Errorf("metrics.certSecret: mounted %q (a Certificate too: %v)", got, own["Certificate/ecswin-metrics-certs"] != nil)
	}
	if got := mountedCertSecret(t, byKindName(objects(t, render(t)))); got != "" {
		t.Errorf("the default install mounts %q", got)
	}
}

// config/cert-manager is config/default with the same certificate: the
// Certificate writes the Secret the manager mounts, and everything but
// cert-manager's own kinds (no CRDs for them here) passes the dry run.
func TestKustomizeCertManagerOverlay(t *testing.T) {
	rendered, err := testenv.Kustomize("config/cert-manager")
	if errors.Is(err, testenv.ErrNoKubectl) {
		t.Skip("kubectl not found on PATH")
	}
	if err != nil {
		t.Fatal(err)
	}
	all := objects(t, rendered)
	objs := byKindName(all)
	cert := objs["Certificate/ecswin-metrics-certs"]
	if cert == nil {
		t.Fatal("config/cert-manager has no Certificate")
	}
	if got, want := mountedCertSecret(t, objs), cert.Object["spec"].(map[string]any)["secretName"]; got != want {
		t.Errorf("the manager mounts %q, the Certificate writes %v", got, want)
	}
	var rest bytes.Buffer
	for _, o := range all {
		if strings.HasPrefix(o.GetAPIVersion(), "cert-manager.io/") {
			continue
		}
		raw, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		rest.WriteString("---\n")
		rest.Write(raw)
	}
	if err := testenv.Global.EnsureNamespace(context.Background(), namespace); err != nil {
		t.Fatal(err)
	}
	if out, err := testenv.Global.Kubectl(rest.Bytes(), "apply", "--server-side", "--dry-run=server", "-f", "-"); err != nil {
		t.Fatalf("the API server rejected config/cert-manager: %v\n%s", err, out)
	}
}
