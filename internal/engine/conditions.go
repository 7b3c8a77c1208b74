package engine

import (
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
)

// judged is what a step condition is judged from: the pass's state, the
// spec and the fleet's tally.
type judged struct {
	st    *state
	spec  v1alpha1.FleetPolicySpec
	tally tally
}

// conditionRules derive the step conditions, one small function each, in
// v1alpha1.StepConditions order (a test holds them to it). needs says
// which inventory problems leave a condition without its input: beside
// any of them it cannot say True (nor "not yet observed"), only Unknown,
// InventoryIncomplete.
var conditionRules = []struct {
	typ   string
	judge func(judged) StepCondition
	needs func(problemReason string) bool
}{
	{v1alpha1.ConditionInventorySynced, inventorySynced, nil},
	{v1alpha1.ConditionRoutesHealthy, routesHealthy, hostInputs},
	{v1alpha1.ConditionCredentialProxyHealthy, proxyHealthy, hostInputs},
	{v1alpha1.ConditionNoPortConflicts, noPortConflicts, everyInput},
	{v1alpha1.ConditionRemediationHealthy, remediationHealthy, remediationInputs},
	{v1alpha1.ConditionProxyRepairHealthy, proxyRepairHealthy, nil},
}

// hostInputs: the problems that leave hosts unread (conditions judged from
// the hosts' reports).
func hostInputs(reason string) bool {
	switch reason {
	case inventory.ReasonClusterNotFound, inventory.ReasonClusterUnreadable, inventory.ReasonInstancesUnreadable,
		inventory.ReasonDescribeFailure, inventory.ReasonMissingInstanceID:
		return true
	}
	return false
}

// remediationInputs: hosts unread, or not known to be reachable.
func remediationInputs(reason string) bool {
	return hostInputs(reason) || reason == inventory.ReasonSSMUnreadable
}

// everyInput: port-80 conflicts are judged from hosts, tasks, task
// definitions and services, so every problem leaves some unread.
func everyInput(string) bool { return true }

// conditions judges every step condition, in order.
func conditions(j judged) []StepCondition {
	out := make([]StepCondition, 0, len(conditionRules))
	for _, r := range conditionRules {
		c := r.judge(j)
		if r.needs != nil && (c.Status == "True" || c.Reason == v1alpha1.ReasonNotYetObserved) {
			c = incomplete(j, r.needs, c)
		}
		c.Type = r.typ
		out = append(out, c)
	}
	return out
}

// incomplete is c, or Unknown/InventoryIncomplete when the inventory
// could not read what c needs, saying what and what was seen.
func incomplete(j judged, needs func(string) bool, c StepCondition) StepCondition {
	if j.st.mem.fleet == nil {
		return c
	}
	var missing []inventory.Problem
	for _, p := range j.st.mem.fleet.Problems {
		if needs(p.Reason) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return c
	}
	msg := "not known: the inventory could not read what this is judged from: " + problemsMessage(missing)
	if c.Status == "True" {
		msg += "; as far as read: " + c.Message
	}
	return StepCondition{Status: "Unknown", Reason: v1alpha1.ReasonInventoryIncomplete, Message: msg}
}

func inventorySynced(j judged) StepCondition {
	f := j.st.mem.fleet
	switch {
	case f == nil:
		return unknown("the fleet has not been read yet")
	case len(f.Problems) > 0:
		return cond(false, inventoryReason(f.Problems), problemsMessage(f.Problems))
	}
	hosts, tasks := 0, 0
	for _, cl := range f.Clusters {
		hosts += len(cl.Hosts)
		tasks += len(cl.Tasks)
	}
	return cond(true, v1alpha1.ReasonSynced,
		fmt.Sprintf("read %d cluster(s): %d Windows instance(s), %d running task(s) on them", len(f.Clusters), hosts, tasks))
}

func routesHealthy(j judged) StepCondition {
	t := j.tally
	switch {
	case j.st.mem.fleet == nil || t.verified == 0:
		return unknown("no host report read yet")
	case t.lackingHosts > 0:
		return cond(false, v1alpha1.ReasonRouteMissing,
			fmt.Sprintf("%d NAT-mode container(s) on %d host(s) lack the credential route", t.lacking, t.lackingHosts))
	}
	return cond(true, v1alpha1.ReasonAllHealthy, healthyMessage("no container lacks the route", t))
}

func proxyHealthy(j judged) StepCondition {
	t := j.tally
	switch {
	case j.st.mem.fleet == nil || t.verified == 0:
		return unknown("no host report read yet")
	case t.proxyBroken > 0:
		return cond(false, v1alpha1.ReasonProxyBroken, fmt.Sprintf("the credential proxy is down on %d host(s)", t.proxyBroken))
	}
	return cond(true, v1alpha1.ReasonAllHealthy, healthyMessage("every credential proxy answers", t))
}

func noPortConflicts(j judged) StepCondition {
	switch {
	case j.spec.Port80.Mode == v1alpha1.Port80Ignore:
		return cond(true, v1alpha1.ReasonPort80Ignored, "spec.port80.mode is Ignore")
	case j.st.mem.fleet == nil:
		return unknown("the fleet has not been read yet")
	case j.tally.conflicts > 0:
		return cond(false, v1alpha1.ReasonConflictsFound,
			fmt.Sprintf("%d task definition(s) map host port 80 on clusters with task roles on", j.tally.conflicts))
	}
	return cond(true, v1alpha1.ReasonNoConflicts, "no task definition of a running task or a service maps host port 80")
}

func remediationHealthy(j judged) StepCondition {
	t := j.tally
	switch b := j.st.did.blocked; {
	case b != nil && b.reason == v1alpha1.ReasonReadOnly && t.failing == 0:
		return StepCondition{Status: "Unknown", Reason: v1alpha1.ReasonReadOnly,
			Message: fmt.Sprintf("%s (%d host(s) with a report)", b.err, t.verified)}
	case b != nil && b.reason != v1alpha1.ReasonReadOnly:
		return blockedCondition(b)
	case t.failing > 0:
		return cond(false, v1alpha1.ReasonRepairsFailing,
			fmt.Sprintf("the last run failed or gave an unreadable report on %d host(s); see hostIssues", t.failing))
	case j.spec.Remediation.Mode != v1alpha1.ModeEnforce:
		return cond(true, v1alpha1.ReasonDryRun,
			fmt.Sprintf("dry run: route-bootstrap runs with --check and changes nothing (%d host(s) checked)", t.verified))
	}
	return cond(true, v1alpha1.ReasonRepairsSucceeding,
		fmt.Sprintf("%d host(s) verified, %d run(s) in flight", t.verified, len(j.st.mem.inFlight)))
}

// refusedConditions are every condition False with the refusal's reason.
func refusedConditions(b *blocker) []StepCondition {
	out := make([]StepCondition, 0, len(conditionRules))
	for _, r := range conditionRules {
		c := cond(false, b.reason, b.err.Error())
		c.Type = r.typ
		out = append(out, c)
	}
	return out
}

func healthyMessage(what string, t tally) string {
	msg := fmt.Sprintf("%s on the %d host(s) verified", what, t.verified)
	if t.unverified > 0 {
		msg += fmt.Sprintf("; %d host(s) not verified yet", t.unverified)
	}
	return msg
}

func cond(ok bool, reason, msg string) StepCondition {
	c := StepCondition{Status: "False", Reason: reason, Message: msg}
	if ok {
		c.Status = "True"
	}
	return c
}

func unknown(msg string) StepCondition {
	return StepCondition{Status: "Unknown", Reason: v1alpha1.ReasonNotYetObserved, Message: msg}
}
