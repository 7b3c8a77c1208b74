package charts

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/ecswin/ecswin/internal/testenv"
)

// rbacKinds are compared between the two installs.
var rbacKinds = []string{"ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"}

// The Helm chart and config/default must not drift: installed as release
// "ecswin" in ecswin-system, the chart has every Role and ClusterRole of
// the kustomize install under the same name, granting the same
// permissions (and aggregating into the same built-in roles), every
// binding binds the same role to the same ServiceAccount, and the
// FleetPolicy CRD is the same.
func TestChartAgreesWithKustomize(t *testing.T) {
	kustomized, err := testenv.Kustomize("config/default")
	if errors.Is(err, testenv.ErrNoKubectl) {
		t.Skip("kubectl not found on PATH: kubectl kustomize renders config/default")
	}
	if err != nil {
		t.Fatal(err)
	}
	want := byKindName(objects(t, kustomized))
	got := byKindName(objects(t, render(t)))

	for key, k := range want {
		if !slices.Contains(rbacKinds, k.GetKind()) {
			continue
		}
		c := got[key]
		if c == nil {
			t.Errorf("the chart has no %s (config/default does)", key)
			continue
		}
		if c.GetNamespace() != k.GetNamespace() && c.GetNamespace() != "" && c.GetNamespace() != namespace {
			t.Errorf("%s: namespace %q, config/default has %q", key, c.GetNamespace(), k.GetNamespace())
		}
		if g, w := permissions(t, c), permissions(t, k); !reflect.DeepEqual(g, w) {
			t.Errorf("%s grants\n  %v\nin the chart but\n  %v\nin config/default", key, g, w)
		}
		if g, w := aggregationLabels(c), aggregationLabels(k); !reflect.DeepEqual(g, w) {
			t.Errorf("%s aggregates into %v in the chart, %v in config/default", key, g, w)
		}
		if g, w := normalize(t, c.Object["roleRef"]), normalize(t, k.Object["roleRef"]); !reflect.DeepEqual(g, w) {
			t.Errorf("%s binds %v in the chart, %v in config/default", key, g, w)
		}
		if g, w := normalize(t, c.Object["subjects"]), normalize(t, k.Object["subjects"]); !reflect.DeepEqual(g, w) {
			t.Errorf("%s binds to %v in the chart, %v in config/default", key, g, w)
		}
	}
	for key, c := range got {
		if slices.Contains(rbacKinds, c.GetKind()) && want[key] == nil {
			t.Errorf("the chart's default install has %s, config/default does not", key)
		}
	}

	const crd = "CustomResourceDefinition/fleetpolicies.ecswin.io"
	if got[crd] == nil || want[crd] == nil {
		t.Fatalf("the CRD is missing from the chart (%v) or config/default (%v)", got[crd] != nil, want[crd] != nil)
	}
	if !reflect.DeepEqual(normalize(t, got[crd].Object["spec"]), normalize(t, want[crd].Object["spec"])) {
		t.Error("the chart installs a different FleetPolicy CRD from config/default: run make manifests")
	}
	sa := "ServiceAccount/ecswin-controller-manager"
	if got[sa] == nil || want[sa] == nil {
		t.Errorf("both installs should run the manager as %s (config/iam's trust policies name it)", sa)
	}
}

// permissions expands a role's rules into one string per permission
// ("group/resource:verb", "url:verb"), sorted, so rules split or ordered
// differently compare equal when they grant the same.
func permissions(t *testing.T, o *unstructured.Unstructured) []string {
	t.Helper()
	var rules []struct {
		APIGroups       []string `json:"apiGroups"`
		Resources       []string `json:"resources"`
		ResourceNames   []string `json:"resourceNames"`
		NonResourceURLs []string `json:"nonResourceURLs"`
		Verbs           []string `json:"verbs"`
	}
	raw, err := json.Marshal(o.Object["rules"])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, r := range rules {
		names := strings.Join(r.ResourceNames, ",")
		for _, v := range r.Verbs {
			for _, u := range r.NonResourceURLs {
				set[u+":"+v] = true
			}
			for _, g := range r.APIGroups {
				for _, res := range r.Resources {
					set[g+"/"+res+"["+names+"]:"+v] = true
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// aggregationLabels are the labels that fold a role into view, edit or
// admin.
func aggregationLabels(o *unstructured.Unstructured) map[string]string {
	out := map[string]string{}
	for k, v := range o.GetLabels() {
		if strings.HasPrefix(k, "rbac.authorization.k8s.io/aggregate-to-") {
			out[k] = v
		}
	}
	return out
}

// normalize turns decoded YAML of any origin into one representation
// (JSON's), so equal documents compare equal whatever decoded them.
func normalize(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
