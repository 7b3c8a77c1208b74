package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/audit"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
)

// fleetState is a pass over two healthy, verified hosts, with the
// inventory problems given; failed marks the cluster unread (no hosts).
func fleetState(t *testing.T, failed bool, problems ...inventory.Problem) (*state, v1alpha1.FleetPolicySpec) {
	t.Helper()
	spec := v1alpha1.FleetPolicySpec{Remediation: v1alpha1.RemediationSpec{Mode: v1alpha1.ModeEnforce}}
	m := newMemory(PolicyRef{Name: "p"}, newHostLocks())
	cl := &inventory.Cluster{Name: "c", ARN: "arn:c", Failed: failed}
	if !failed {
		for _, id := range []string{"i-1", "i-2"} {
			cl.Hosts = append(cl.Hosts, &inventory.Host{Cluster: "c", ContainerInstanceARN: "arn:ci/" + id, InstanceID: id,
				SSM: inventory.SSMOnline, AgentConnected: true, TaskRoleEnabled: true})
			m.host(id).report = &inventory.HostReport{InstanceID: id, ProxyHealthy: true}
		}
	}
	m.fleet = &inventory.Fleet{Clusters: []*inventory.Cluster{cl}, Problems: problems}
	m.findings = audit.Run(auditInput(m, spec))
	return &state{mem: m}, spec
}

// failedCall is a problem a failed AWS call left, with its cause.
func failedCall(reason string, err error) inventory.Problem {
	c := awsapi.Explain(err)
	return inventory.Problem{Cluster: "c", Reason: reason, Message: "reading failed: " + c.String(), Count: 1, Cause: c}
}

// Every step condition with a good inventory, a partly failed one and a
// failed one: what could not be read makes the conditions judged from it
// Unknown (InventoryIncomplete, saying what), never True; InventorySynced
// names the cause.
func TestConditionsFollowTheInventory(t *testing.T) {
	denied := failedCall(inventory.ReasonInstancesUnreadable, &smithy.OperationError{ServiceID: "ECS", OperationName: "DescribeContainerInstances",
		Err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:iam::1:role/x is not authorized to perform: ecs:DescribeContainerInstances"}})
	taskDefs := failedCall(inventory.ReasonTaskDefUnreadable, &smithy.OperationError{ServiceID: "ECS", OperationName: "DescribeTaskDefinition",
		Err: &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}})
	noCreds := failedCall(inventory.ReasonClusterUnreadable, errors.New("get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found"))
	const (
		T  = "True"
		F  = "False"
		U  = "Unknown"
		ii = v1alpha1.ReasonInventoryIncomplete
	)
	type want struct{ status, reason string }
	for name, tc := range map[string]struct {
		failed   bool
		problems []inventory.Problem
		want     map[string]want
	}{
		"good": {false, nil, map[string]want{
			v1alpha1.ConditionInventorySynced:        {T, v1alpha1.ReasonSynced},
			v1alpha1.ConditionRoutesHealthy:          {T, v1alpha1.ReasonAllHealthy},
			v1alpha1.ConditionCredentialProxyHealthy: {T, v1alpha1.ReasonAllHealthy},
			v1alpha1.ConditionNoPortConflicts:        {T, v1alpha1.ReasonNoConflicts},
			v1alpha1.ConditionRemediationHealthy:     {T, v1alpha1.ReasonRepairsSucceeding},
		}},
		"hosts partly unread": {false, []inventory.Problem{denied}, map[string]want{
			v1alpha1.ConditionInventorySynced:        {F, v1alpha1.ReasonAccessDenied},
			v1alpha1.ConditionRoutesHealthy:          {U, ii},
			v1alpha1.ConditionCredentialProxyHealthy: {U, ii},
			v1alpha1.ConditionNoPortConflicts:        {U, ii},
			v1alpha1.ConditionRemediationHealthy:     {U, ii},
		}},
		"task definitions partly unread": {false, []inventory.Problem{taskDefs}, map[string]want{
			v1alpha1.ConditionInventorySynced:        {F, v1alpha1.ReasonThrottled},
			v1alpha1.ConditionRoutesHealthy:          {T, v1alpha1.ReasonAllHealthy},
			v1alpha1.ConditionCredentialProxyHealthy: {T, v1alpha1.ReasonAllHealthy},
			v1alpha1.ConditionNoPortConflicts:        {U, ii},
			v1alpha1.ConditionRemediationHealthy:     {T, v1alpha1.ReasonRepairsSucceeding},
		}},
		"failed": {true, []inventory.Problem{noCreds, denied}, map[string]want{
			v1alpha1.ConditionInventorySynced:        {F, v1alpha1.ReasonCredentialsMissing},
			v1alpha1.ConditionRoutesHealthy:          {U, ii},
			v1alpha1.ConditionCredentialProxyHealthy: {U, ii},
			v1alpha1.ConditionNoPortConflicts:        {U, ii},
			v1alpha1.ConditionRemediationHealthy:     {U, ii},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			st, spec := fleetState(t, tc.failed, tc.problems...)
			res := report(st, spec, time.Unix(0, 0))
			for typ, w := range tc.want {
				c := res.Condition(typ)
				if string(c.Status) != w.status || c.Reason != w.reason {
					t.Errorf("%s = %s/%s (%s), want %s/%s", typ, c.Status, c.Reason, c.Message, w.status, w.reason)
				}
				if c.Reason == ii && !strings.Contains(c.Message, "reading failed: ECS") {
					t.Errorf("%s says not what could not be read: %s", typ, c.Message)
				}
			}
		})
	}
}

// A conflict found in what was read is a fact, also beside problems.
func TestConflictsFoundStayFalseBesideProblems(t *testing.T) {
	st, spec := fleetState(t, false, failedCall(inventory.ReasonServicesUnreadable, errors.New("boom")))
	j := judged{st: st, spec: spec, tally: tally{conflicts: 2}}
	if c := conditions(j)[3]; c.Type != v1alpha1.ConditionNoPortConflicts || c.Status != "False" || c.Reason != v1alpha1.ReasonConflictsFound {
		t.Errorf("NoPortConflicts = %+v, want False/%s", c, v1alpha1.ReasonConflictsFound)
	}
}

// AccessDenied, to the inventory or to remediation, is a Warning naming
// the IAM action, once per action.
func TestAccessDeniedEventNamesTheAction(t *testing.T) {
	denied := &smithy.OperationError{ServiceID: "SSM", OperationName: "SendCommand",
		Err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:iam::1:role/x is not authorized to perform: ssm:SendCommand on resource: doc"}}
	st, spec := fleetState(t, false, failedCall(inventory.ReasonInstancesUnreadable, &smithy.OperationError{ServiceID: "ECS", OperationName: "ListContainerInstances",
		Err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:iam::1:role/x is not authorized to perform: ecs:ListContainerInstances"}}))
	st.did.inventoried = true
	st.did.blocked = &blocker{reason: v1alpha1.ReasonAWSError, err: denied}
	res := report(st, spec, time.Unix(0, 0))
	var actions []string
	for _, e := range res.Events {
		if e.Reason == EventAccessDenied {
			if e.Type != EventWarning || !strings.Contains(e.Message, "grant ") {
				t.Errorf("event %+v", e)
			}
			actions = append(actions, strings.TrimPrefix(e.Key, EventAccessDenied+"/"))
		}
	}
	if strings.Join(actions, ",") != "ecs:ListContainerInstances,ssm:SendCommand" {
		t.Errorf("AccessDenied events for %v, want ecs:ListContainerInstances and ssm:SendCommand", actions)
	}
	if c := res.Condition(v1alpha1.ConditionRemediationHealthy); c.Status != "False" || c.Reason != v1alpha1.ReasonAccessDenied ||
		!strings.Contains(c.Message, "SSM SendCommand: access denied") {
		t.Errorf("RemediationHealthy = %+v, want False/AccessDenied in Explain's words", c)
	}
}
