// Package rbac_test checks the roles of config/rbac against a real API
// server: who may write FleetPolicies, and who may not.
package rbac_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// loadRole reads a ClusterRole of config/rbac, as shipped.
func loadRole(t *testing.T, file string) *rbacv1.ClusterRole {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", file))
	if err != nil {
		t.Fatal(err)
	}
	r := &rbacv1.ClusterRole{}
	if err := yaml.UnmarshalStrict(raw, r); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return r
}

// aggregate does what kube-controller-manager's clusterrole-aggregation
// controller does (envtest runs no controller manager): every ClusterRole
// with an aggregationRule gets the rules of the ClusterRoles its selectors
// match, until nothing changes (edit aggregates into admin, view into
// edit).
func aggregate(t *testing.T, c client.Client) {
	t.Helper()
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		var all rbacv1.ClusterRoleList
		if err := c.List(ctx, &all); err != nil {
			t.Fatal(err)
		}
		changed := false
		for i := range all.Items {
			target := &all.Items[i]
			if target.AggregationRule == nil {
				continue
			}
			var rules []rbacv1.PolicyRule
			for _, sel := range target.AggregationRule.ClusterRoleSelectors {
				s, err := metav1.LabelSelectorAsSelector(&sel)
				if err != nil {
					t.Fatal(err)
				}
				for _, src := range all.Items {
					if src.Name != target.Name && s.Matches(labels.Set(src.Labels)) {
						rules = append(rules, src.Rules...)
					}
				}
			}
			if len(rules) != len(target.Rules) {
				target.Rules = rules
				if err := c.Update(ctx, target); err != nil {
					t.Fatal(err)
				}
				changed = true
			}
		}
		if !changed {
			return
		}
	}
	t.Fatal("aggregation did not settle")
}

func apply(t *testing.T, c client.Client, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := c.Create(context.Background(), o); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatalf("creating %s: %v", o.GetName(), err)
		}
	}
}

func crb(name, user, role string) *rbacv1.ClusterRoleBinding {
	return &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: user}},
	}
}

// allowed asks the API server whether user may verb FleetPolicies.
func allowed(t *testing.T, c client.Client, user, verb, sub string) bool {
	t.Helper()
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: user,
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Group: v1alpha1.GroupVersion.Group, Version: v1alpha1.GroupVersion.Version,
			Resource: "fleetpolicies", Subresource: sub, Verb: verb,
		},
	}}
	if err := c.Create(context.Background(), sar); err != nil {
		t.Fatal(err)
	}
	return sar.Status.Allowed
}

// as is a client that impersonates user (and the authenticated group).
func as(t *testing.T, user string) client.Client {
	t.Helper()
	cfg := rest.CopyConfig(testenv.Global.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user, Groups: []string{"system:authenticated"}}
	c, err := client.New(cfg, client.Options{Scheme: testenv.Global.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func policy(name string) *v1alpha1.FleetPolicy {
	return &v1alpha1.FleetPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.FleetPolicySpec{
			AWS: v1alpha1.AWSSpec{Region: "us-east-1"}, Clusters: []string{"windows"},
			Remediation: v1alpha1.RemediationSpec{Bootstrap: v1alpha1.BootstrapSource{Source: "s3://bucket/rb.exe"}},
		},
	}
}

// Nobody bound to the built-in edit, admin or view roles (in a namespace
// or cluster-wide) may create, update, patch or delete a FleetPolicy:
// write access is ecswin's editor role, bound explicitly. The roles are
// config/rbac's, aggregated as the controller manager would.
func TestBuiltInRolesCannotWriteFleetPolicies(t *testing.T) {
	c := testenv.Global.Client
	ctx := context.Background()
	editor, viewer := loadRole(t, "fleetpolicy_editor_role.yaml"), loadRole(t, "fleetpolicy_viewer_role.yaml")
	manager := loadRole(t, "role.yaml")
	apply(t, c, editor, viewer, manager,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a"}},
		&rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "alice-edit", Namespace: "team-a"},
			RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "edit"},
			Subjects:   []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "alice"}},
		},
		&rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "amy-admin", Namespace: "team-a"},
			RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "admin"},
			Subjects:   []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "amy"}},
		},
		crb("bob-edit-everywhere", "bob", "edit"),
		crb("brenda-admin-everywhere", "brenda", "admin"),
		crb("carol-view-everywhere", "carol", "view"),
		crb("dave-fleet-editor", "dave", editor.Name),
		crb("vera-fleet-viewer", "vera", viewer.Name),
		crb("controller", "system:serviceaccount:ecswin-system:ecswin-controller-manager", manager.Name),
	)
	aggregate(t, c)

	writes := []string{"create", "update", "patch", "delete"}
	for _, user := range []string{"alice", "amy", "bob", "brenda", "carol"} {
		for _, verb := range writes {
			if allowed(t, c, user, verb, "") {
				t.Errorf("%s (a built-in role) may %s FleetPolicies", user, verb)
			}
		}
		for _, verb := range []string{"get", "list"} {
			if allowed(t, c, user, verb, "") {
				t.Errorf("%s (a built-in role) may %s FleetPolicies, whose spec holds external IDs", user, verb)
			}
		}
	}
	for _, verb := range append(writes, "get", "list", "watch") {
		if !allowed(t, c, "dave", verb, "") {
			t.Errorf("dave (bound to %s) may not %s FleetPolicies", editor.Name, verb)
		}
	}
	for _, verb := range []string{"get", "list", "watch"} {
		if !allowed(t, c, "vera", verb, "") {
			t.Errorf("vera (bound to %s) may not %s FleetPolicies", viewer.Name, verb)
		}
	}
	if allowed(t, c, "vera", "create", "") {
		t.Error("the viewer role may create FleetPolicies")
	}
	// The controller reads policies and writes their status only.
	sa := "system:serviceaccount:ecswin-system:ecswin-controller-manager"
	if !allowed(t, c, sa, "watch", "") || !allowed(t, c, sa, "patch", "status") {
		t.Error("the manager's role cannot watch policies and patch their status")
	}
	for _, verb := range writes {
		if allowed(t, c, sa, verb, "") {
			t.Errorf("the manager's role may %s FleetPolicies themselves", verb)
		}
	}

	// Impersonation: the API server refuses alice's and bob's writes and
	// takes dave's.
	for _, user := range []string{"alice", "bob"} {
		err := as(t, user).Create(ctx, policy("by-"+user), client.DryRunAll)
		if !apierrors.IsForbidden(err) {
			t.Errorf("%s creating a FleetPolicy: err = %v, want Forbidden", user, err)
		}
	}
	if err := as(t, "dave").Create(ctx, policy("by-dave"), client.DryRunAll); err != nil {
		t.Errorf("dave creating a FleetPolicy: %v", err)
	}
}

// The aggregation helper is real: a role labelled for edit reaches users
// bound to edit cluster-wide, so the test above cannot pass because
// aggregation did nothing.
func TestAggregationHelperAggregates(t *testing.T) {
	c := testenv.Global.Client
	control := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "control-aggregates-to-edit", Labels: map[string]string{"rbac.authorization.k8s.io/aggregate-to-edit": "true"}},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{"example.com"}, Resources: []string{"widgets"}, Verbs: []string{"create"}}},
	}
	apply(t, c, control, crb("zoe-edit-everywhere", "zoe", "edit"))
	t.Cleanup(func() {
		_ = c.Delete(context.Background(), control)
		aggregate(t, c)
	})
	aggregate(t, c)
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:               "zoe",
		ResourceAttributes: &authorizationv1.ResourceAttributes{Group: "example.com", Resource: "widgets", Verb: "create"},
	}}
	if err := c.Create(context.Background(), sar); err != nil {
		t.Fatal(err)
	}
	if !sar.Status.Allowed {
		t.Fatal("a role labelled aggregate-to-edit did not reach a user bound to edit: the aggregation helper does nothing")
	}
}
