package engine

import (
	"fmt"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// conditions derives one input per step condition, in StepConditions
// order.
func (p *passRun) conditions(t fleetTally) []StepCondition {
	st := p.st
	out := make([]StepCondition, 0, len(v1alpha1.StepConditions))
	for _, typ := range v1alpha1.StepConditions {
		c := StepCondition{Type: typ}
		switch typ {
		case v1alpha1.ConditionInventorySynced:
			c = p.inventoryCondition(c)
		case v1alpha1.ConditionRoutesHealthy:
			switch {
			case st.fleet == nil || t.verified == 0:
				c = unknown(c, "no host report read yet")
			case t.lackingHosts > 0:
				c = cond(c, false, v1alpha1.ReasonRouteMissing,
					fmt.Sprintf("%d NAT-mode container(s) on %d host(s) lack the credential route", t.lacking, t.lackingHosts))
			default:
				c = cond(c, true, v1alpha1.ReasonAllHealthy, healthyMessage("no container lacks the route", t))
			}
		case v1alpha1.ConditionCredentialProxyHealthy:
			switch {
			case st.fleet == nil || t.verified == 0:
				c = unknown(c, "no host report read yet")
			case t.proxyBroken > 0:
				c = cond(c, false, v1alpha1.ReasonProxyBroken, fmt.Sprintf("the credential proxy is down on %d host(s)", t.proxyBroken))
			default:
				c = cond(c, true, v1alpha1.ReasonAllHealthy, healthyMessage("every credential proxy answers", t))
			}
		case v1alpha1.ConditionNoPortConflicts:
			switch {
			case p.spec.Port80.Mode == v1alpha1.Port80Ignore:
				c = cond(c, true, v1alpha1.ReasonPort80Ignored, "spec.port80.mode is Ignore")
			case st.fleet == nil:
				c = unknown(c, "the fleet has not been read yet")
			case t.conflicts > 0:
				c = cond(c, false, v1alpha1.ReasonConflictsFound,
					fmt.Sprintf("%d task definition(s) map host port 80 on clusters with task roles on", t.conflicts))
			default:
				c = cond(c, true, v1alpha1.ReasonNoConflicts, "no task definition of a running task or a service maps host port 80")
			}
		case v1alpha1.ConditionRemediationHealthy:
			c = p.remediationCondition(c, t)
		}
		out = append(out, c)
	}
	return out
}

func (p *passRun) inventoryCondition(c StepCondition) StepCondition {
	f := p.st.fleet
	switch {
	case f == nil:
		return unknown(c, "the fleet has not been read yet")
	case len(f.Problems) > 0:
		return cond(c, false, v1alpha1.ReasonAWSError, problemsMessage(f.Problems))
	}
	hosts, tasks := 0, 0
	for _, cl := range f.Clusters {
		hosts += len(cl.Hosts)
		tasks += len(cl.Tasks)
	}
	return cond(c, true, v1alpha1.ReasonSynced,
		fmt.Sprintf("read %d cluster(s): %d Windows instance(s), %d running task(s) on them", len(f.Clusters), hosts, tasks))
}

func (p *passRun) remediationCondition(c StepCondition, t fleetTally) StepCondition {
	switch {
	case p.e.deps.ReadOnly && t.failing == 0:
		c.Status, c.Reason = "Unknown", v1alpha1.ReasonReadOnly
		c.Message = fmt.Sprintf("%s (%d host(s) with a report)", errReadOnly, t.verified)
		return c
	case p.remediationErr != nil && p.remediationReason != v1alpha1.ReasonReadOnly:
		return cond(c, false, p.remediationReason, p.remediationErr.Error())
	case t.failing > 0:
		return cond(c, false, v1alpha1.ReasonRepairsFailing,
			fmt.Sprintf("the last run failed or gave an unreadable report on %d host(s); see hostIssues", t.failing))
	case p.spec.Remediation.Mode != v1alpha1.ModeEnforce:
		return cond(c, true, v1alpha1.ReasonDryRun,
			fmt.Sprintf("dry run: route-bootstrap runs with --check and changes nothing (%d host(s) checked)", t.verified))
	}
	return cond(c, true, v1alpha1.ReasonRepairsSucceeding,
		fmt.Sprintf("%d host(s) verified, %d run(s) in flight", t.verified, len(p.st.inFlight)))
}

func healthyMessage(what string, t fleetTally) string {
	msg := fmt.Sprintf("%s on the %d host(s) verified", what, t.verified)
	if t.unverified > 0 {
		msg += fmt.Sprintf("; %d host(s) not verified yet", t.unverified)
	}
	return msg
}

func cond(c StepCondition, ok bool, reason, msg string) StepCondition {
	c.Status, c.Reason, c.Message = "False", reason, msg
	if ok {
		c.Status = "True"
	}
	return c
}

func unknown(c StepCondition, msg string) StepCondition {
	c.Status, c.Reason, c.Message = "Unknown", v1alpha1.ReasonNotYetObserved, msg
	return c
}
