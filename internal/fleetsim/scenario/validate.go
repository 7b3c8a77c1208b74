package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Windows OS families as ECS reports them in ecs.os-family, and the
// family this package uses for Linux instances.
const (
	Windows2016Full = "WINDOWS_SERVER_2016_FULL"
	Windows2019Full = "WINDOWS_SERVER_2019_FULL"
	Windows2019Core = "WINDOWS_SERVER_2019_CORE"
	Windows2022Full = "WINDOWS_SERVER_2022_FULL"
	Windows2022Core = "WINDOWS_SERVER_2022_CORE"
	Windows2025Full = "WINDOWS_SERVER_2025_FULL"
	Windows2025Core = "WINDOWS_SERVER_2025_CORE"
	Linux           = "LINUX"
)

var knownOSFamilies = map[string]bool{
	Windows2016Full: true, Windows2019Full: true, Windows2019Core: true,
	Windows2022Full: true, Windows2022Core: true, Windows2025Full: true,
	Windows2025Core: true, Linux: true,
}

// IsWindows tells whether an OS family is a Windows one.
func IsWindows(osFamily string) bool { return strings.HasPrefix(osFamily, "WINDOWS_") }

var knownNetworkModes = map[string]bool{"": true, "default": true, "bridge": true, "host": true, "awsvpc": true, "none": true}

// ProxyFaultNames are the credential-proxy faults a scenario may name in
// drift.proxyFaults (see memos.ProxyFault).
var ProxyFaultNames = []string{"addressNotUp", "ruleMissing", "listenerDown", "excludedPortRange", "addressMissing"}

var knownActions = map[string]bool{
	ActionReboot: true, ActionBreakProxy: true, ActionStripRoutes: true, ActionStartTasks: true,
	ActionAgentOffline: true, ActionAgentOnline: true, ActionRegister: true, ActionDeregister: true,
	ActionSetFaults: true, ActionHangCommands: true, ActionFailCommands: true, ActionHealthyCommands: true,
	ActionCreateService: true,
}

// Validate reports every problem in the scenario at once.
func (s *Scenario) Validate() error {
	var p problems
	families := s.validateTaskDefinitions(&p)
	clusters := s.validateClusters(&p, families)
	if f := s.Faults; f.ThrottleFraction < 0 || f.ServerErrorFraction < 0 || f.ThrottleFraction+f.ServerErrorFraction > 1 {
		p.add("faults: fractions must be within 0..1 together")
	}
	s.validateEvents(&p, clusters, families)
	s.validateChurn(&p, clusters)
	if eb := s.EventBridge; eb.DropFraction < 0 || eb.DropFraction > 1 || eb.DuplicateFraction < 0 || eb.DuplicateFraction > 1 ||
		eb.DelayFraction < 0 || eb.DelayFraction > 1 || eb.Latency < 0 || eb.Jitter < 0 || eb.Delay < 0 {
		p.add("eventBridge: fractions must be within 0..1 and durations not negative")
	}
	if len(p) > 0 {
		return fmt.Errorf("invalid scenario %q: %w", s.Name, errors.Join(p...))
	}
	return nil
}

// problems collects what Validate finds, so that it reports all at once.
type problems []error

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Errorf(format, args...)) }

// validateTaskDefinitions returns the task-definition families declared.
func (s *Scenario) validateTaskDefinitions(p *problems) map[string]bool {
	families := map[string]bool{}
	for i, td := range s.TaskDefinitions {
		if td.Family == "" {
			p.add("taskDefinitions[%d]: family is required", i)
		}
		if !knownNetworkModes[td.NetworkMode] {
			p.add("taskDefinitions[%d] (%s): unknown networkMode %q", i, td.Family, td.NetworkMode)
		}
		if len(td.Containers) == 0 {
			p.add("taskDefinitions[%d] (%s): at least one container is required", i, td.Family)
		}
		families[td.Family] = true
	}
	return families
}

// validateClusters returns the cluster names declared.
func (s *Scenario) validateClusters(p *problems, families map[string]bool) map[string]bool {
	clusters := map[string]bool{}
	for i, c := range s.Clusters {
		if c.Name == "" {
			p.add("clusters[%d]: name is required", i)
		}
		if clusters[c.Name] {
			p.add("clusters[%d]: duplicate cluster %q", i, c.Name)
		}
		clusters[c.Name] = true
		for j, g := range c.Groups {
			validateGroup(p, fmt.Sprintf("clusters[%d].groups[%d]", i, j), g, families)
		}
		validateServices(p, fmt.Sprintf("clusters[%d]", i), c.Services, families)
	}
	return clusters
}

// validateGroup checks one instance group; where names it in messages.
func validateGroup(p *problems, where string, g Group, families map[string]bool) {
	if g.Count < 0 {
		p.add("%s: count must not be negative", where)
	}
	if !knownOSFamilies[g.OSFamily] {
		p.add("%s: unknown osFamily %q", where, g.OSFamily)
	}
	for name, share := range map[string]float64{
		"taskRoleShare": g.TaskRoleShare, "taskEniShare": g.TaskENIShare,
		"drift.containersWithoutRoute": g.Drift.ContainersWithoutRoute,
	} {
		if share < 0 || share > 1 {
			p.add("%s: %s must be within 0..1", where, name)
		}
	}
	for _, pf := range g.Drift.ProxyFaults {
		if !slices.Contains(ProxyFaultNames, pf) {
			p.add("%s: unknown proxy fault %q (known: %s)", where, pf, strings.Join(ProxyFaultNames, ", "))
		}
	}
	if g.TasksPerInstance > 0 && len(g.TaskMix) == 0 {
		p.add("%s: tasksPerInstance needs a taskMix", where)
	}
	for fam, w := range g.TaskMix {
		if !families[fam] {
			p.add("%s: taskMix names unknown family %q", where, fam)
		}
		if w < 0 {
			p.add("%s: taskMix weight of %q must not be negative", where, fam)
		}
	}
}

// validateServices checks a cluster's declared services.
func validateServices(p *problems, where string, services []Service, families map[string]bool) {
	names := map[string]bool{}
	for k, svc := range services {
		at := fmt.Sprintf("%s.services[%d]", where, k)
		if svc.Name == "" {
			p.add("%s: name is required", at)
		}
		if names[svc.Name] {
			p.add("%s: duplicate service %q", at, svc.Name)
		}
		names[svc.Name] = true
		if !families[svc.TaskDefinition] {
			p.add("%s: taskDefinition names unknown family %q", at, svc.TaskDefinition)
		}
		if svc.DesiredCount < 0 {
			p.add("%s: desiredCount must not be negative", at)
		}
	}
}

func (s *Scenario) validateChurn(p *problems, clusters map[string]bool) {
	c := s.Churn
	if c == nil {
		return
	}
	if c.Every <= 0 {
		p.add("churn: every must be a positive duration")
	}
	if c.WithoutRoute < 0 || c.WithoutRoute > 1 {
		p.add("churn: withoutRoute must be within 0..1")
	}
	if c.Cluster != "" && !clusters[c.Cluster] {
		p.add("churn: unknown cluster %q", c.Cluster)
	}
}

func (s *Scenario) validateEvents(p *problems, clusters, families map[string]bool) {
	for i, e := range s.Events {
		if e.Action == ActionCreateService {
			if e.Service == nil || e.Cluster == "" {
				p.add("events[%d]: createService needs cluster and service", i)
			} else {
				validateServices(p, fmt.Sprintf("events[%d]", i), []Service{*e.Service}, families)
			}
		}
		if !knownActions[e.Action] {
			p.add("events[%d]: unknown action %q", i, e.Action)
		}
		if e.Cluster != "" && !clusters[e.Cluster] {
			p.add("events[%d]: unknown cluster %q", i, e.Cluster)
		}
		if e.Action == ActionSetFaults && e.Faults == nil {
			p.add("events[%d]: setFaults needs faults", i)
		}
		if e.After < 0 || e.Count < 0 {
			p.add("events[%d]: after and count must not be negative", i)
		}
	}
}
