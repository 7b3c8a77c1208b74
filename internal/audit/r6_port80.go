package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
)

// Port80Rule (R6): a task definition that binds host port 80 collides
// with the credential proxy on clusters with task roles on. Its services'
// tasks short of desiredCount are the ones that cannot place, and count
// with the running ones.
func Port80Rule(u TaskDefinitionUse, in Input) []Finding {
	if !port80Conflicts(u, in) {
		return nil
	}
	unplaced, serviceNote := servicesShortOf(u.Services)
	return []Finding{tdFinding(u, RulePort80, ReasonHostPort80Conflict, SeverityError, u.Running+unplaced,
		fmt.Sprintf("container(s) %s map host port 80 in %s network mode, which the credential proxy holds on instances with task roles: "+
			"ECS cannot place these tasks there (RESOURCE:PORTS)%s; map another host port behind a load balancer, or exempt the family in spec.port80.exemptFamilies",
			strings.Join(u.Def.HostPort80Containers, ", "), networkModeName(u.Def.NetworkMode), serviceNote))}
}

// port80Conflicts is the condition of Port80Rule (and of the awsvpc
// hint's first reason).
func port80Conflicts(u TaskDefinitionUse, in Input) bool {
	return u.RoleCluster && len(u.Def.HostPort80Containers) > 0 && !port80Exempt(u.Def, in.Port80)
}

// servicesShortOf sums the tasks the services want but do not run, and
// names the services with their counts for the finding's message.
func servicesShortOf(services []*inventory.Service) (int, string) {
	if len(services) == 0 {
		return 0, ""
	}
	sorted := slices.Clone(services)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	short := 0
	parts := make([]string, 0, len(sorted))
	for _, s := range sorted {
		short += int(max(0, s.DesiredCount-s.RunningCount-s.PendingCount))
		parts = append(parts, fmt.Sprintf("%s (desired %d, running %d, pending %d)", s.Name, s.DesiredCount, s.RunningCount, s.PendingCount))
	}
	note := "; service(s) " + strings.Join(parts, ", ") + " use it"
	if short > 0 {
		note += fmt.Sprintf(": %d of their desired task(s) cannot place", short)
	}
	return short, note
}

// Port80RunningRule (R6): a task bound to host port 80 running on a host
// with task roles on holds the proxy's port.
func Port80RunningRule(u TaskDefinitionUse, in Input) []Finding {
	td := u.Def
	if len(td.HostPort80Containers) == 0 || len(u.OnRoleHosts) == 0 || port80Exempt(td, in.Port80) {
		return nil
	}
	hosts := dedupe(slices.Clone(u.OnRoleHosts))
	out := make([]Finding, 0, len(hosts))
	for _, id := range hosts {
		out = append(out, Finding{Rule: RulePort80, Reason: ReasonHostPort80Running, Severity: SeverityError, Subject: SubjectHost,
			Cluster: u.Cluster, InstanceID: id, TaskDefinition: td.Name(), Family: td.Family, Count: 1,
			Message: fmt.Sprintf("a task of %s holds host port 80 on this host, where the credential proxy needs it: stop the task and map another host port", td.Name())})
	}
	return out
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
