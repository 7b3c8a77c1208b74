package audit

import (
	"sort"

	"github.com/ecswin/ecswin/internal/inventory"
)

// TaskDefinitionUse is one task-definition revision as one cluster uses
// it: what every task-definition rule judges.
type TaskDefinitionUse struct {
	Cluster string
	Def     *inventory.TaskDefinition
	// Running counts its tasks on the cluster's Windows hosts;
	// WithoutRole those with no task role at all (none in the definition,
	// none as an override).
	Running, WithoutRole int
	// OnRoleHosts are the hosts with task roles on that run its tasks.
	OnRoleHosts []string
	// WithoutRoute counts its tasks whose containers started without the
	// route (as host reports found them).
	WithoutRoute int
	// Services are the cluster's services that run this revision.
	Services []*inventory.Service
	// RoleCluster: some host of the cluster has task roles on.
	RoleCluster bool
	// Standalone: judged on its own, as ecswinctl lint reads a file:
	// nothing runs yet, and the instances are assumed to have task roles
	// on.
	Standalone bool
}

// StandaloneUse is td judged on its own, before it is registered.
func StandaloneUse(td *inventory.TaskDefinition) TaskDefinitionUse {
	return TaskDefinitionUse{Def: td, RoleCluster: true, Standalone: true}
}

// TaskDefinitionRule judges one use of a task definition.
type TaskDefinitionRule func(TaskDefinitionUse, Input) []Finding

// taskDefinitionRules run on every use, in order: the engine's audit and
// ecswinctl lint share them (JudgeTaskDefinition).
var taskDefinitionRules = []TaskDefinitionRule{
	TaskRoleRule,
	Port80Rule,
	Port80RunningRule,
	AWSVPCHint,
}

// JudgeTaskDefinition applies every task-definition rule to u.
func JudgeTaskDefinition(u TaskDefinitionUse, in Input) []Finding {
	out := make([]Finding, 0, len(taskDefinitionRules))
	for _, rule := range taskDefinitionRules {
		out = append(out, rule(u, in)...)
	}
	return out
}

// TaskDefinitionRules groups the cluster's running tasks and services by
// task definition and judges each use. A service matters where its tasks
// never place: with no task running, its task definition would otherwise
// go unseen.
func TaskDefinitionRules(cl *inventory.Cluster, in Input) []Finding {
	uses := clusterUses(cl, in)
	out := make([]Finding, 0, len(uses))
	for _, u := range uses {
		out = append(out, JudgeTaskDefinition(*u, in)...)
	}
	return out
}

// clusterUses is every task definition the cluster's tasks and services
// use, by ARN order.
func clusterUses(cl *inventory.Cluster, in Input) []*TaskDefinitionUse {
	hosts := make(map[string]*inventory.Host, len(cl.Hosts))
	roleCluster := false
	for _, h := range cl.Hosts {
		hosts[h.ContainerInstanceARN] = h
		roleCluster = roleCluster || h.TaskRoleEnabled
	}
	uses := map[string]*TaskDefinitionUse{}
	useOf := func(td *inventory.TaskDefinition) *TaskDefinitionUse {
		u := uses[td.ARN]
		if u == nil {
			u = &TaskDefinitionUse{Cluster: cl.Name, Def: td, RoleCluster: roleCluster}
			uses[td.ARN] = u
		}
		return u
	}
	for _, t := range cl.Tasks {
		td, ok := in.Fleet.TaskDefinitions[t.TaskDefinitionARN]
		if !ok {
			continue
		}
		u := useOf(td)
		u.Running++
		if lacksTaskRole(td, t.OverrideTaskRole) {
			u.WithoutRole++
		}
		if h := hosts[t.ContainerInstanceARN]; h != nil && h.TaskRoleEnabled {
			u.OnRoleHosts = append(u.OnRoleHosts, hostName(h))
		}
		if in.TasksWithoutRoute[t.ID] {
			u.WithoutRoute++
		}
	}
	for _, svc := range cl.Services {
		// A service with no running task cannot be told Linux or Windows
		// by where it runs; one that declares Linux is not ours to judge.
		if td, ok := in.Fleet.TaskDefinitions[svc.TaskDefinitionARN]; ok && !td.DeclaredLinux() {
			u := useOf(td)
			u.Services = append(u.Services, svc)
		}
	}
	out := make([]*TaskDefinitionUse, 0, len(uses))
	for _, u := range uses {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Def.ARN < out[j].Def.ARN })
	return out
}

func tdFinding(u TaskDefinitionUse, rule, reason string, sev Severity, count int, msg string) Finding {
	return Finding{Rule: rule, Reason: reason, Severity: sev, Subject: SubjectTaskDefinition,
		Cluster: u.Cluster, TaskDefinition: u.Def.Name(), Family: u.Def.Family, Count: count, Message: msg}
}
