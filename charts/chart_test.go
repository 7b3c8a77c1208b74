package charts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/testenv"
)

func TestChartLints(t *testing.T) {
	for name, args := range map[string][]string{"default values": nil, "full values": {"-f", fullValues}} {
		t.Run(name, func(t *testing.T) {
			if out, err := helm(t, append([]string{"lint", "--strict", chartDir}, args...)...); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// The chart, rendered with the default and with every option on, is
// applied to the real API server with a server-side dry run, so every
// object is checked against its schema: the built-in kinds, the
// FleetPolicy CRD, and the Prometheus Operator's ServiceMonitor and
// PrometheusRule as that project's Go module publishes their CRDs.
func TestChartIsAcceptedByTheAPIServer(t *testing.T) {
	installMonitoringCRDs(t)
	if err := testenv.Global.EnsureNamespace(context.Background(), namespace); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args []string
		want []string // objects the dry run must report
	}{
		"default values": {want: []string{
			"customresourcedefinition.apiextensions.k8s.io/fleetpolicies.ecswin.io",
			"deployment.apps/ecswin-controller-manager", "poddisruptionbudget.policy/ecswin-controller-manager",
			"service/ecswin-controller-manager-metrics-service", "clusterrole.rbac.authorization.k8s.io/ecswin-manager-role",
		}},
		"full values": {args: []string{"-f", fullValues}, want: []string{
			"servicemonitor.monitoring.coreos.com/ecswin-controller-manager-metrics-monitor",
			"prometheusrule.monitoring.coreos.com/ecswin-alerts", "configmap/ecswin-grafana-dashboard",
			"secret/ecswin-metrics-scraper-token", "clusterrolebinding.rbac.authorization.k8s.io/ecswin-metrics-scraper",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, err := testenv.Global.Kubectl(render(t, tc.args...), "apply", "--server-side", "--dry-run=server", "-f", "-")
			if errors.Is(err, testenv.ErrNoKubectl) {
				t.Skip("kubectl not found on PATH: the chart is not checked against the API server")
			}
			if err != nil {
				t.Fatalf("the API server rejected the chart: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w+" serverside-applied (server dry run)") {
					t.Errorf("%s was not applied in the dry run:\n%s", w, out)
				}
			}
		})
	}
}

// The kustomize install's monitoring layer (config/prometheus) passes the
// same dry run.
func TestKustomizeMonitoringIsAcceptedByTheAPIServer(t *testing.T) {
	installMonitoringCRDs(t)
	rendered, err := testenv.Kustomize("config/prometheus")
	if errors.Is(err, testenv.ErrNoKubectl) {
		t.Skip("kubectl not found on PATH")
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := testenv.Global.EnsureNamespace(context.Background(), "system"); err != nil {
		t.Fatal(err)
	}
	out, err := testenv.Global.Kubectl(rendered, "apply", "--server-side", "--dry-run=server", "-f", "-")
	if err != nil {
		t.Fatalf("the API server rejected config/prometheus: %v", err)
	}
	for _, w := range []string{"servicemonitor.monitoring.coreos.com/controller-manager-metrics-monitor", "prometheusrule.monitoring.coreos.com/alerts", "secret/metrics-scraper-token"} {
		if !strings.Contains(string(out), w+" serverside-applied (server dry run)") {
			t.Errorf("%s was not applied in the dry run:\n%s", w, out)
		}
	}
	if strings.Contains(string(rendered), "bearerTokenFile") {
		t.Error("config/prometheus still uses the deprecated bearerTokenFile")
	}
}

// installMonitoringCRDs installs the ServiceMonitor and PrometheusRule
// CRDs from $MONITORING_CRDS (hack/monitoring-crds.sh) and waits until
// they are served.
func installMonitoringCRDs(t *testing.T) {
	t.Helper()
	dir := os.Getenv("MONITORING_CRDS")
	if dir == "" {
		t.Fatal("MONITORING_CRDS is not set: run the tests with `make test`, or export MONITORING_CRDS=$(hack/monitoring-crds.sh)")
	}
	args := []string{"apply", "--server-side"}
	for _, kind := range []string{"servicemonitors", "prometheusrules"} {
		args = append(args, "-f", filepath.Join(dir, "monitoring.coreos.com_"+kind+".yaml"))
	}
	if _, err := testenv.Global.Kubectl(nil, args...); err != nil {
		if errors.Is(err, testenv.ErrNoKubectl) {
			t.Skip("kubectl not found on PATH")
		}
		t.Fatal(err)
	}
	if _, err := testenv.Global.Kubectl(nil, "wait", "--for=condition=Established", "--timeout=60s",
		"crd/servicemonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com"); err != nil {
		t.Fatal(err)
	}
}

// Two managers would repair the same hosts: more than one replica
// without leader election is refused at render time.
func TestChartRefusesReplicasWithoutLeaderElection(t *testing.T) {
	_, err := helm(t, "template", release, chartDir, "--set", "replicaCount=2", "--set", "manager.leaderElection=false")
	if err == nil || !strings.Contains(err.Error(), "manager.leaderElection must be true with more than one replica") {
		t.Errorf("err = %v", err)
	}
	if _, err := helm(t, "template", release, chartDir, "--set", "replicaCount=1", "--set", "manager.leaderElection=false"); err != nil {
		t.Errorf("one replica without leader election: %v", err)
	}
}

// The trust flags reach the manager only as the operator sets them.
func TestChartTrustFlags(t *testing.T) {
	args := func(objs map[string]*unstructured.Unstructured) string {
		spec := objs["Deployment/ecswin-controller-manager"].Object["spec"].(map[string]any)
		c := spec["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
		return strings.Join(toStrings(c["args"]), " ")
	}
	def := args(byKindName(objects(t, render(t))))
	for _, flag := range []string{"--allowed-role-arns", "--bootstrap-sha256", "--allow-endpoint-overrides"} {
		if strings.Contains(def, flag) {
			t.Errorf("the default install passes %s: %s", flag, def)
		}
	}
	full := args(byKindName(objects(t, render(t, "-f", fullValues, "--set", "manager.allowEndpointOverrides=true"))))
	for _, want := range []string{"--allowed-role-arns=arn:aws:iam::*:role/ecswin-*,arn:aws:iam::111122223333:role/fleet-?",
		"--bootstrap-sha256=5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", "--allow-endpoint-overrides"} {
		if !strings.Contains(full, want) {
			t.Errorf("manager args %q lack %s", full, want)
		}
	}
}

func TestChartDeployment(t *testing.T) {
	objs := byKindName(objects(t, render(t)))
	d := objs["Deployment/ecswin-controller-manager"]
	if d == nil {
		t.Fatal("no Deployment")
	}
	spec := d.Object["spec"].(map[string]any)
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	c := pod["containers"].([]any)[0].(map[string]any)
	if fmt.Sprint(spec["replicas"]) != "2" || pod["nodeSelector"].(map[string]any)["kubernetes.io/os"] != "linux" ||
		pod["securityContext"].(map[string]any)["runAsNonRoot"] != true || len(pod["topologySpreadConstraints"].([]any)) != 2 {
		t.Errorf("deployment spec = %v", spec)
	}
	args := strings.Join(toStrings(c["args"]), " ")
	for _, want := range []string{"--leader-elect=true", "--leader-election-id=ecswin-controller.ecswin.io", "--metrics-bind-address=:8443", "--health-probe-bind-address=:8081"} {
		if !strings.Contains(args, want) {
			t.Errorf("manager args %q lack %s", args, want)
		}
	}
	sc := c["securityContext"].(map[string]any)
	if sc["allowPrivilegeEscalation"] != false || sc["readOnlyRootFilesystem"] != true {
		t.Errorf("container security context = %v", sc)
	}
	if objs["PodDisruptionBudget/ecswin-controller-manager"] == nil {
		t.Error("no PodDisruptionBudget")
	}
}

// Scaling out: a second release with its own selector gets its own
// lease, so both managers lead at once, each over its own policies.
func TestChartSecondReleaseWithASelector(t *testing.T) {
	out, err := helm(t, "template", "payments", chartDir, "--namespace", namespace, "--set", "manager.policySelector=team=payments")
	if err != nil {
		t.Fatal(err)
	}
	_, c := managerPod(t, map[string]*unstructured.Unstructured{"Deployment/ecswin-controller-manager": byKindName(objects(t, out))["Deployment/payments-ecswin-controller-manager"]})
	args := strings.Join(toStrings(c["args"]), " ")
	for _, want := range []string{"--policy-selector=team=payments", "--leader-election-id=payments-ecswin-controller.ecswin.io"} {
		if !strings.Contains(args, want) {
			t.Errorf("args %q lack %s", args, want)
		}
	}
}

// The ServiceMonitor authenticates with a token from a Secret
// (authorization), not the deprecated bearerTokenFile.
func TestChartServiceMonitorAuthorization(t *testing.T) {
	objs := byKindName(objects(t, render(t, "-f", fullValues)))
	sm := objs["ServiceMonitor/ecswin-controller-manager-metrics-monitor"]
	if sm == nil {
		t.Fatal("no ServiceMonitor")
	}
	ep := sm.Object["spec"].(map[string]any)["endpoints"].([]any)[0].(map[string]any)
	if _, old := ep["bearerTokenFile"]; old {
		t.Error("the ServiceMonitor uses the deprecated bearerTokenFile")
	}
	auth, _ := ep["authorization"].(map[string]any)
	creds, _ := auth["credentials"].(map[string]any)
	if auth["type"] != "Bearer" || creds["name"] != "ecswin-metrics-scraper-token" || creds["key"] != "token" {
		t.Errorf("authorization = %v", ep["authorization"])
	}
	secret := objs["Secret/ecswin-metrics-scraper-token"]
	if secret == nil || secret.Object["type"] != "kubernetes.io/service-account-token" ||
		secret.GetAnnotations()["kubernetes.io/service-account.name"] != "ecswin-metrics-scraper" {
		t.Errorf("token secret = %v", secret)
	}
	binding := objs["ClusterRoleBinding/ecswin-metrics-scraper"]
	if binding == nil || binding.Object["roleRef"].(map[string]any)["name"] != "ecswin-metrics-reader" {
		t.Errorf("the scraper is not bound to the metrics-reader role: %v", binding)
	}
}

// The PrometheusRule holds the groups of config/prometheus's rules file,
// the one source of the alerts.
func TestChartPrometheusRuleIsTheRulesFile(t *testing.T) {
	objs := byKindName(objects(t, render(t, "-f", fullValues)))
	rule := objs["PrometheusRule/ecswin-alerts"]
	if rule == nil {
		t.Fatal("no PrometheusRule")
	}
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "prometheus", "ecswin-alerts.rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if got := rule.Object["spec"].(map[string]any)["groups"]; !reflect.DeepEqual(normalize(t, got), normalize(t, file["groups"])) {
		t.Error("the PrometheusRule's groups differ from config/prometheus/ecswin-alerts.rules.yaml: run make manifests")
	}
	kustomized, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "prometheus", "prometheus_rule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var kRule struct {
		Spec struct {
			Groups any `json:"groups"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(kustomized, &kRule); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(t, kRule.Spec.Groups), normalize(t, file["groups"])) {
		t.Error("config/prometheus/prometheus_rule.yaml differs from ecswin-alerts.rules.yaml: run make manifests")
	}
	dash := objs["ConfigMap/ecswin-grafana-dashboard"]
	current, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "prometheus", "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	if dash == nil || strings.TrimSpace(dash.Object["data"].(map[string]any)["ecswin-fleet.json"].(string)) != strings.TrimSpace(string(current)) ||
		dash.GetLabels()["grafana_dashboard"] != "1" {
		t.Error("the dashboard ConfigMap does not hold config/prometheus/grafana-dashboard.json with the sidecar's label")
	}
}

// The chart's copies of generated and shared files are current (make
// manifests copies them; make verify checks the same through git).
func TestChartCopiesAreCurrent(t *testing.T) {
	root := testenv.RepoRoot()
	for copyName, source := range map[string]string{
		"crd.yaml":                 "config/crd/bases/ecswin.io_fleetpolicies.yaml",
		"manager-role.yaml":        "config/rbac/role.yaml",
		"ecswin-alerts.rules.yaml": "config/prometheus/ecswin-alerts.rules.yaml",
		"grafana-dashboard.json":   "config/prometheus/grafana-dashboard.json",
	} {
		want, err := os.ReadFile(filepath.Join(root, source))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(chartDir, "files", copyName))
		if err != nil || string(got) != string(want) {
			t.Errorf("charts/ecswin/files/%s is not %s: run make manifests", copyName, source)
		}
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
