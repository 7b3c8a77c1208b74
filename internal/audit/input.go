package audit

import (
	"sort"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
)

// RunProblem is why a host's last run gave no usable report.
type RunProblem struct {
	// Reason is ReasonReportUnreadable, ReasonRepairFailed or the reason
	// of an exit code that has its own (ReasonBootstrapDownloadFailed...).
	Reason  string
	Message string
}

// HostFacts is everything known about one host.
type HostFacts struct {
	Host *inventory.Host
	// Report is the host's last readable report, nil if none yet.
	Report *inventory.HostReport
	// LastRun is set when the last run ended without a usable report.
	LastRun *RunProblem
}

// Input is what the rules judge.
type Input struct {
	Fleet *inventory.Fleet
	// Facts by EC2 instance ID; hosts without an ID are judged from
	// inventory alone.
	Reports  map[string]*inventory.HostReport
	LastRuns map[string]*RunProblem
	Port80   v1alpha1.Port80Spec
	// ProxyRepairOn: the policy repairs broken proxies (Enforce+Enforce).
	ProxyRepairOn bool
	// ProxyRepairSuspended: the policy asks for proxy repair but its
	// breaker stopped it (the ProxyRepairHealthy condition says why).
	ProxyRepairSuspended bool
	// TasksWithoutRoute are tasks whose containers hosts' reports found
	// without the route, by task ID (inventory.TaskID).
	TasksWithoutRoute map[string]bool
}

// HostRule judges one host.
type HostRule func(HostFacts, Input) []Finding

// hostRules run on every Windows host, in order.
var hostRules = []HostRule{
	CapabilityRule,
	ReachabilityRule,
	AgentRule,
	RouteRule,
	ProxyRule,
	LastRunRule,
}

// Run applies every rule and returns the findings, worst first.
func Run(in Input) []Finding {
	var out []Finding
	for _, cl := range in.Fleet.Clusters {
		for _, h := range cl.Hosts {
			f := HostFacts{Host: h, Report: in.Reports[h.InstanceID], LastRun: in.LastRuns[h.InstanceID]}
			if h.InstanceID == "" {
				f.Report, f.LastRun = nil, nil
			}
			for _, rule := range hostRules {
				out = append(out, rule(f, in)...)
			}
		}
		out = append(out, TaskDefinitionRules(cl, in)...)
	}
	Sort(out)
	return out
}

// Sort orders findings worst first, then by what they concern.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Cluster != b.Cluster {
			return a.Cluster < b.Cluster
		}
		if a.InstanceID != b.InstanceID {
			return a.InstanceID < b.InstanceID
		}
		if a.TaskDefinition != b.TaskDefinition {
			return a.TaskDefinition < b.TaskDefinition
		}
		return a.Reason < b.Reason
	})
}

func hostFinding(h *inventory.Host, rule, reason string, sev Severity, count int, msg string) Finding {
	return Finding{Rule: rule, Reason: reason, Severity: sev, Subject: SubjectHost,
		Cluster: h.Cluster, InstanceID: hostName(h), Count: count, Message: msg}
}

// hostName is the instance ID, or the container-instance ARN when ECS
// gave none.
func hostName(h *inventory.Host) string {
	if h.InstanceID != "" {
		return h.InstanceID
	}
	return h.ContainerInstanceARN
}
