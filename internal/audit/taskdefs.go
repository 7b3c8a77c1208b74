package audit

import (
	"sort"

	"github.com/ecswin/ecswin/internal/inventory"
)

// tdUse is how one task definition is used on one cluster.
type tdUse struct {
	td *inventory.TaskDefinition
	// running tasks of it on Windows hosts, and those without any task
	// role (none in the definition, none as an override).
	running, withoutRole int
	// onRoleHosts are its running tasks on hosts with task roles on.
	onRoleHosts []string
	// withoutRoute are its tasks that started without the route.
	withoutRoute int
	// services are the cluster's services that run this revision.
	services []*inventory.Service
}

// usesOf returns the entry for td, adding it if new.
func usesOf(uses map[string]*tdUse, td *inventory.TaskDefinition) *tdUse {
	u := uses[td.ARN]
	if u == nil {
		u = &tdUse{td: td}
		uses[td.ARN] = u
	}
	return u
}

// TaskDefinitionRules groups the cluster's running tasks and services by
// task definition and applies R5, R6 and the awsvpc hint to each. A
// service matters where its tasks never place: with no task running, its
// task definition would otherwise go unseen.
func TaskDefinitionRules(cl *inventory.Cluster, in Input) []Finding {
	hosts := make(map[string]*inventory.Host, len(cl.Hosts))
	roleCluster := false
	for _, h := range cl.Hosts {
		hosts[h.ContainerInstanceARN] = h
		roleCluster = roleCluster || h.TaskRoleEnabled
	}
	uses := map[string]*tdUse{}
	for _, t := range cl.Tasks {
		td, ok := in.Fleet.TaskDefinitions[t.TaskDefinitionARN]
		if !ok {
			continue
		}
		u := usesOf(uses, td)
		u.running++
		if lacksTaskRole(td, t.OverrideTaskRole) {
			u.withoutRole++
		}
		if h := hosts[t.ContainerInstanceARN]; h != nil && h.TaskRoleEnabled {
			u.onRoleHosts = append(u.onRoleHosts, hostName(h))
		}
		if in.TasksWithoutRoute[t.ARN] {
			u.withoutRoute++
		}
	}
	for _, svc := range cl.Services {
		// A service with no running task cannot be told Linux or Windows
		// by where it runs; one that declares Linux is not ours to judge.
		if td, ok := in.Fleet.TaskDefinitions[svc.TaskDefinitionARN]; ok && !td.DeclaredLinux() {
			u := usesOf(uses, td)
			u.services = append(u.services, svc)
		}
	}
	arns := make([]string, 0, len(uses))
	for arn := range uses {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	out := make([]Finding, 0, len(arns))
	for _, arn := range arns {
		u := uses[arn]
		out = append(out, TaskRoleRule(cl.Name, u.td, u.running, u.withoutRole)...)
		conflict := port80Conflict(cl.Name, u.td, u.running, roleCluster, in.Port80, u.services)
		out = append(out, conflict...)
		out = append(out, Port80RunningRule(cl.Name, u.td, u.onRoleHosts, in.Port80)...)
		out = append(out, AWSVPCHint(cl.Name, u.td, len(conflict) > 0, u.withoutRoute)...)
	}
	return out
}

func tdFinding(cluster string, td *inventory.TaskDefinition, rule, reason string, sev Severity, count int, msg string) Finding {
	return Finding{Rule: rule, Reason: reason, Severity: sev, Subject: SubjectTaskDefinition,
		Cluster: cluster, TaskDefinition: td.Name(), Family: td.Family, Count: count, Message: msg}
}
