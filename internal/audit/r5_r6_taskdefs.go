package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ecswin/ecswin/api/v1alpha1"
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
}

// TaskDefinitionRules groups the cluster's running tasks by task
// definition and applies R5, R6 and the awsvpc hint to each.
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
		u := uses[td.ARN]
		if u == nil {
			u = &tdUse{td: td}
			uses[td.ARN] = u
		}
		u.running++
		if td.TaskRoleARN == "" && !t.OverrideTaskRole {
			u.withoutRole++
		}
		if h := hosts[t.ContainerInstanceARN]; h != nil && h.TaskRoleEnabled {
			u.onRoleHosts = append(u.onRoleHosts, hostName(h))
		}
	}
	arns := make([]string, 0, len(uses))
	for arn := range uses {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	var out []Finding
	for _, arn := range arns {
		u := uses[arn]
		out = append(out, TaskRoleRule(cl.Name, u.td, u.running, u.withoutRole)...)
		out = append(out, Port80Rule(cl.Name, u.td, u.running, roleCluster, in.Port80)...)
		out = append(out, Port80RunningRule(cl, hosts, u.td, u.onRoleHosts, in.Port80)...)
	}
	return out
}

func tdFinding(cluster string, td *inventory.TaskDefinition, rule, reason string, sev Severity, count int, msg string) Finding {
	return Finding{Rule: rule, Reason: reason, Severity: sev, Subject: SubjectTaskDefinition,
		Cluster: cluster, TaskDefinition: td.Name(), Family: td.Family, Count: count, Message: msg}
}

// TaskRoleRule (R5): Windows tasks running with no task role at all get
// no task credentials, whatever the host does.
func TaskRoleRule(cluster string, td *inventory.TaskDefinition, running, withoutRole int) []Finding {
	if withoutRole == 0 {
		return nil
	}
	return []Finding{tdFinding(cluster, td, RuleTaskRole, ReasonTaskRoleMissing, SeverityWarning, withoutRole,
		fmt.Sprintf("%d of %d running task(s) have no task role (neither taskRoleArn in the task definition nor overrides.taskRoleArn): "+
			"if they call AWS, set taskRoleArn to a role trusting ecs-tasks.amazonaws.com", withoutRole, running))}
}

// Port80Rule (R6): a task definition that binds host port 80 collides
// with the credential proxy on clusters with task roles on.
func Port80Rule(cluster string, td *inventory.TaskDefinition, running int, roleCluster bool, spec v1alpha1.Port80Spec) []Finding {
	if !roleCluster || len(td.HostPort80Containers) == 0 || port80Exempt(td, spec) {
		return nil
	}
	out := []Finding{tdFinding(cluster, td, RulePort80, ReasonHostPort80Conflict, SeverityError, running,
		fmt.Sprintf("container(s) %s map host port 80 in %s network mode, which the credential proxy holds on instances with task roles: "+
			"ECS cannot place these tasks there (RESOURCE:PORTS); map another host port behind a load balancer, or exempt the family in spec.port80.exemptFamilies",
			strings.Join(td.HostPort80Containers, ", "), networkModeName(td.NetworkMode)))}
	return append(out, AWSVPCHint(cluster, td)...)
}

// Port80RunningRule (R6): a task bound to host port 80 running on a host
// with task roles on holds the proxy's port.
func Port80RunningRule(cl *inventory.Cluster, _ map[string]*inventory.Host, td *inventory.TaskDefinition, onRoleHosts []string, spec v1alpha1.Port80Spec) []Finding {
	if len(td.HostPort80Containers) == 0 || len(onRoleHosts) == 0 || port80Exempt(td, spec) {
		return nil
	}
	var out []Finding
	for _, id := range dedupe(onRoleHosts) {
		out = append(out, Finding{Rule: RulePort80, Reason: ReasonHostPort80Running, Severity: SeverityError, Subject: SubjectHost,
			Cluster: cl.Name, InstanceID: id, TaskDefinition: td.Name(), Family: td.Family, Count: 1,
			Message: fmt.Sprintf("a task of %s holds host port 80 on this host, where the credential proxy needs it: stop the task and map another host port", td.Name())})
	}
	return out
}

// AWSVPCHint: in awsvpc mode each task has its own ENI, so port 80 no
// longer collides and containers need no route.
func AWSVPCHint(cluster string, td *inventory.TaskDefinition) []Finding {
	if td.NetworkMode == inventory.NetworkModeAWSVPC {
		return nil
	}
	return []Finding{tdFinding(cluster, td, RuleHint, ReasonAWSVPCHint, SeverityHint, 0,
		"in awsvpc network mode this task gets its own ENI: port 80 stops colliding with the credential proxy and its containers need no route (at the cost of ENI density; enable ENI trunking)")}
}

func port80Exempt(td *inventory.TaskDefinition, spec v1alpha1.Port80Spec) bool {
	return spec.Mode == v1alpha1.Port80Ignore || slices.Contains(spec.ExemptFamilies, td.Family)
}

func networkModeName(m string) string {
	if m == "" {
		return "the default (NAT)"
	}
	return m
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	return slices.Compact(ss)
}
