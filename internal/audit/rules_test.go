package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/inventory"
)

func host(mut func(*inventory.Host)) *inventory.Host {
	h := &inventory.Host{Cluster: "c", ContainerInstanceARN: "arn:ci/1", InstanceID: "i-1",
		TaskRoleEnabled: true, SSM: inventory.SSMOnline, AgentConnected: true}
	if mut != nil {
		mut(h)
	}
	return h
}

func reasons(fs []Finding) string {
	var rs []string
	for _, f := range fs {
		rs = append(rs, f.Reason)
	}
	return strings.Join(rs, ",")
}

func TestHostRules(t *testing.T) {
	healthy := &inventory.HostReport{ProxyHealthy: true, ContainersChecked: 3}
	cases := map[string]struct {
		rule    HostRule
		facts   HostFacts
		in      Input
		want    string
		message string // a substring the message must hold
	}{
		"R1 capability on":        {CapabilityRule, HostFacts{Host: host(nil)}, Input{}, "", ""},
		"R1 capability missing":   {CapabilityRule, HostFacts{Host: host(func(h *inventory.Host) { h.TaskRoleEnabled = false })}, Input{}, ReasonCapabilityMissing, "-EnableTaskIAMRole"},
		"R2 no report yet":        {RouteRule, HostFacts{Host: host(nil)}, Input{}, "", ""},
		"R2 all routes":           {RouteRule, HostFacts{Host: host(nil), Report: healthy}, Input{}, "", ""},
		"R2 lacking after repair": {RouteRule, HostFacts{Host: host(nil), Report: &inventory.HostReport{ProxyHealthy: true, ContainersLackingRoute: 2}}, Input{}, ReasonRouteMissing, "next run"},
		"R2 lacking in a dry run": {RouteRule, HostFacts{Host: host(nil), Report: &inventory.HostReport{ProxyHealthy: true, ContainersLackingRoute: 1, CheckOnly: true}}, Input{}, ReasonRouteMissing, "mode=Enforce"},
		"proxy healthy":           {ProxyRule, HostFacts{Host: host(nil), Report: healthy}, Input{}, "", ""},
		"proxy broken, report":    {ProxyRule, HostFacts{Host: host(nil), Report: &inventory.HostReport{ProxyProblem: "ProxyRuleMissing"}}, Input{}, ReasonProxyBroken, "hostProxy=Enforce"},
		"proxy broken, repair on": {ProxyRule, HostFacts{Host: host(nil), Report: &inventory.HostReport{}}, Input{ProxyRepairOn: true}, ReasonProxyBroken, "next run"},
		"proxy needs an operator": {ProxyRule, HostFacts{Host: host(nil), Report: &inventory.HostReport{ProxyNeedsOperator: true, ProxyProblem: "ProxyExcludedPortRange",
			ProxyAdvice: "winnat reserved a dynamic port range"}}, Input{ProxyRepairOn: true}, ReasonProxyNeedsOperator, "does not repair this; winnat reserved"},
		"ssm online":            {ReachabilityRule, HostFacts{Host: host(nil)}, Input{}, "", ""},
		"ssm unknown this pass": {ReachabilityRule, HostFacts{Host: host(func(h *inventory.Host) { h.SSM = inventory.SSMUnknown })}, Input{}, "", ""},
		"ssm connection lost":   {ReachabilityRule, HostFacts{Host: host(func(h *inventory.Host) { h.SSM = inventory.SSMConnectionLost })}, Input{}, ReasonSSMUnreachable, "AmazonSSMAgent"},
		"ssm not managed":       {ReachabilityRule, HostFacts{Host: host(func(h *inventory.Host) { h.SSM = inventory.SSMNotManaged })}, Input{}, ReasonSSMUnreachable, "AmazonSSMManagedInstanceCore"},
		"no instance ID":        {ReachabilityRule, HostFacts{Host: host(func(h *inventory.Host) { h.InstanceID = "" })}, Input{}, ReasonHostDataIncomplete, "instance ID"},
		"agent connected":       {AgentRule, HostFacts{Host: host(nil)}, Input{}, "", ""},
		"agent disconnected":    {AgentRule, HostFacts{Host: host(func(h *inventory.Host) { h.AgentConnected = false })}, Input{}, ReasonAgentDisconnected, "AmazonECS"},
		"last run fine":         {LastRunRule, HostFacts{Host: host(nil)}, Input{}, "", ""},
		"last run unreadable":   {LastRunRule, HostFacts{Host: host(nil), LastRun: &RunProblem{Reason: ReasonReportUnreadable, Message: "not JSON"}}, Input{}, ReasonReportUnreadable, "not JSON"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := c.rule(c.facts, c.in)
			if reasons(got) != c.want {
				t.Fatalf("reasons = %q, want %q", reasons(got), c.want)
			}
			for _, f := range got {
				if !strings.Contains(f.Message, c.message) {
					t.Errorf("message %q does not hold %q", f.Message, c.message)
				}
				if f.Subject != SubjectHost || f.InstanceID == "" || f.Cluster != "c" {
					t.Errorf("finding not about the host: %+v", f)
				}
			}
		})
	}
}

func TestTaskDefinitionRules(t *testing.T) {
	td := func(arn, mode, role string, port80 ...string) *inventory.TaskDefinition {
		return &inventory.TaskDefinition{ARN: arn, Family: arn, Revision: 1, NetworkMode: mode, TaskRoleARN: role, HostPort80Containers: port80}
	}
	type tc struct {
		def       *inventory.TaskDefinition
		roleHost  bool // the task runs on a host with task roles on
		otherRole bool // another host of the cluster has task roles on
		override  bool
		noRoute   bool // the task started without the route
		port80    v1alpha1.Port80Spec
		noTask    bool // no task of it runs: only services name it
		services  []*inventory.Service
		want      string
	}
	linux := func(d *inventory.TaskDefinition) *inventory.TaskDefinition { d.OSFamily = "LINUX"; return d }
	windows := func(d *inventory.TaskDefinition) *inventory.TaskDefinition {
		d.OSFamily = "WINDOWS_SERVER_2022_CORE"
		return d
	}
	svc := func(name string, desired, running int32) []*inventory.Service {
		return []*inventory.Service{{Name: name, ARN: "arn:svc/" + name, TaskDefinitionARN: "a", DesiredCount: desired, RunningCount: running}}
	}
	cases := map[string]tc{
		"clean NAT task with role":       {def: td("a", "", "r"), roleHost: true, otherRole: true},
		"no task role":                   {def: td("a", "", ""), roleHost: true, otherRole: true, want: ReasonTaskRoleMissing},
		"role by override":               {def: td("a", "", ""), roleHost: true, otherRole: true, override: true},
		"port 80 on a role cluster":      {def: td("a", "", "r", "iis"), otherRole: true, want: ReasonHostPort80Conflict + "," + ReasonAWSVPCHint},
		"port 80, no role in cluster":    {def: td("a", "", "r", "iis")},
		"port 80 running on a role host": {def: td("a", "", "r", "iis"), roleHost: true, otherRole: true, want: ReasonHostPort80Conflict + "," + ReasonHostPort80Running + "," + ReasonAWSVPCHint},
		"port 80 exempt family":          {def: td("a", "", "r", "iis"), roleHost: true, otherRole: true, port80: v1alpha1.Port80Spec{ExemptFamilies: []string{"a"}}},
		"port 80 ignored":                {def: td("a", "", "r", "iis"), roleHost: true, otherRole: true, port80: v1alpha1.Port80Spec{Mode: v1alpha1.Port80Ignore}},
		"started without the route":      {def: td("a", "", "r"), roleHost: true, otherRole: true, noRoute: true, want: ReasonAWSVPCHint},
		"awsvpc needs no hint":           {def: td("a", "awsvpc", "r"), roleHost: true, otherRole: true, noRoute: true},
		"service never places":           {def: td("a", "", "r", "iis"), otherRole: true, noTask: true, services: svc("shop", 2, 0), want: ReasonHostPort80Conflict + "," + ReasonAWSVPCHint},
		"service and task, one finding":  {def: td("a", "", "r", "iis"), otherRole: true, services: svc("shop", 3, 1), want: ReasonHostPort80Conflict + "," + ReasonAWSVPCHint},
		"service, no role in cluster":    {def: td("a", "", "r", "iis"), noTask: true, services: svc("shop", 2, 0)},
		"service exempt family":          {def: td("a", "", "r", "iis"), otherRole: true, noTask: true, services: svc("shop", 2, 0), port80: v1alpha1.Port80Spec{ExemptFamilies: []string{"a"}}},
		"service ignored":                {def: td("a", "", "r", "iis"), otherRole: true, noTask: true, services: svc("shop", 2, 0), port80: v1alpha1.Port80Spec{Mode: v1alpha1.Port80Ignore}},
		"service without port 80":        {def: td("a", "", "r"), otherRole: true, noTask: true, services: svc("shop", 2, 0)},
		"service in awsvpc":              {def: td("a", "awsvpc", "r"), otherRole: true, noTask: true, services: svc("shop", 2, 0)},
		"service declared Linux":         {def: linux(td("a", "", "r", "nginx")), otherRole: true, noTask: true, services: svc("shop", 2, 0)},
		"service declared Windows":       {def: windows(td("a", "", "r", "iis")), otherRole: true, noTask: true, services: svc("shop", 2, 0), want: ReasonHostPort80Conflict + "," + ReasonAWSVPCHint},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			runOn := host(func(h *inventory.Host) { h.TaskRoleEnabled = c.roleHost })
			other := host(func(h *inventory.Host) {
				h.ContainerInstanceARN, h.InstanceID, h.TaskRoleEnabled = "arn:ci/2", "i-2", c.otherRole
			})
			cl := &inventory.Cluster{Name: "c", Hosts: []*inventory.Host{runOn, other}, Services: c.services,
				Tasks: []*inventory.Task{task("t1", c.def.ARN, runOn.ContainerInstanceARN, c.override)}}
			if c.noTask {
				cl.Tasks = nil
			}
			in := Input{Fleet: &inventory.Fleet{Clusters: []*inventory.Cluster{cl}, TaskDefinitions: map[string]*inventory.TaskDefinition{c.def.ARN: c.def}},
				Port80: c.port80, TasksWithoutRoute: map[string]bool{"t1": c.noRoute}}
			if got := reasons(TaskDefinitionRules(cl, in)); got != c.want {
				t.Errorf("reasons = %q, want %q", got, c.want)
			}
		})
	}
}

// A service's conflict tells which services use the revision and how far
// they fall short, and counts running plus unplaced tasks, once.
func TestPort80ServiceFinding(t *testing.T) {
	td := &inventory.TaskDefinition{ARN: "arn:td/iis:3", Family: "iis", Revision: 3, HostPort80Containers: []string{"iis"}}
	runOn := host(func(h *inventory.Host) { h.TaskRoleEnabled = false })
	role := host(func(h *inventory.Host) { h.ContainerInstanceARN, h.InstanceID = "arn:ci/2", "i-2" })
	cl := &inventory.Cluster{Name: "c", Hosts: []*inventory.Host{runOn, role},
		Tasks: []*inventory.Task{task("t1", td.ARN, runOn.ContainerInstanceARN, false)},
		Services: []*inventory.Service{
			{Name: "shop-b", TaskDefinitionARN: td.ARN, DesiredCount: 2, RunningCount: 1},
			{Name: "shop-a", TaskDefinitionARN: td.ARN, DesiredCount: 3},
		}}
	in := Input{Fleet: &inventory.Fleet{Clusters: []*inventory.Cluster{cl}, TaskDefinitions: map[string]*inventory.TaskDefinition{td.ARN: td}}}
	var conflicts []Finding
	for _, f := range TaskDefinitionRules(cl, in) {
		if f.Reason == ReasonHostPort80Conflict {
			conflicts = append(conflicts, f)
		}
	}
	if len(conflicts) != 1 {
		t.Fatalf("got %d conflict findings, want one for the revision: %+v", len(conflicts), conflicts)
	}
	f := conflicts[0]
	if f.TaskDefinition != "iis:3" || f.Count != 1+1+3 {
		t.Errorf("finding %s counts %d, want iis:3 counting 5 (1 running, 4 unplaced)", f.TaskDefinition, f.Count)
	}
	for _, want := range []string{"shop-a (desired 3, running 0, pending 0), shop-b (desired 2, running 1, pending 0) use it: 4 of their desired task(s) cannot place"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q does not hold %q", f.Message, want)
		}
	}
}

func TestRunOrdersWorstFirst(t *testing.T) {
	h1 := host(func(h *inventory.Host) { h.TaskRoleEnabled = false })
	h2 := host(func(h *inventory.Host) {
		h.ContainerInstanceARN, h.InstanceID, h.SSM = "arn:ci/2", "i-2", inventory.SSMInactive
	})
	fleet := &inventory.Fleet{Clusters: []*inventory.Cluster{{Name: "c", Hosts: []*inventory.Host{h2, h1}}}}
	got := Run(Input{Fleet: fleet, Reports: map[string]*inventory.HostReport{"i-1": {ProxyHealthy: true, ContainersLackingRoute: 4}}})
	if reasons(got) != ReasonRouteMissing+","+ReasonCapabilityMissing+","+ReasonSSMUnreachable {
		t.Errorf("order = %s", reasons(got))
	}
}

// A definition judged on its own (ecswinctl lint) gets the same rules as
// a running one: the port-80 conflict brings the awsvpc hint, awsvpc
// brings neither.
func TestStandaloneDefinitionGetsTheSameRules(t *testing.T) {
	td := &inventory.TaskDefinition{ARN: "a", Family: "a", Revision: 1, TaskRoleARN: "r", HostPort80Containers: []string{"iis"}}
	if got := reasons(JudgeTaskDefinition(StandaloneUse(td), Input{})); got != ReasonHostPort80Conflict+","+ReasonAWSVPCHint {
		t.Errorf("reasons = %q", got)
	}
	if got := reasons(JudgeTaskDefinition(StandaloneUse(td), Input{Port80: v1alpha1.Port80Spec{ExemptFamilies: []string{"a"}}})); got != "" {
		t.Errorf("exempt family: reasons = %q", got)
	}
	td.NetworkMode = inventory.NetworkModeAWSVPC
	td.HostPort80Containers = nil
	if got := reasons(JudgeTaskDefinition(StandaloneUse(td), Input{})); got != "" {
		t.Errorf("awsvpc: reasons = %q", got)
	}
}

// R5 on a definition judged on its own speaks of the definition, not of
// running tasks, and agrees with the running case on what lacks a role.
func TestStandaloneTaskRoleRule(t *testing.T) {
	tests := map[string]struct {
		role string
		want string // reason
	}{
		"no taskRoleArn":   {want: ReasonTaskRoleMissing},
		"with taskRoleArn": {role: "arn:aws:iam::123456789012:role/app"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			td := &inventory.TaskDefinition{Family: "batch", TaskRoleARN: tc.role}
			got := TaskRoleRule(StandaloneUse(td), Input{})
			if reasons(got) != tc.want {
				t.Fatalf("reasons = %q, want %q", reasons(got), tc.want)
			}
			running := TaskDefinitionUse{Def: td, Running: 1}
			if lacksTaskRole(td, false) {
				running.WithoutRole = 1
			}
			if (len(TaskRoleRule(running, Input{})) == 0) != (tc.want == "") {
				t.Fatal("the running case disagrees on whether the definition lacks a role")
			}
			for _, f := range got {
				if !strings.HasPrefix(f.Message, "the task definition has no taskRoleArn") || strings.Contains(f.Message, "running task") {
					t.Errorf("message not worded for a file: %q", f.Message)
				}
				if f.Rule != RuleTaskRole || f.Count != 1 {
					t.Errorf("finding = %+v", f)
				}
			}
		})
	}
}

// task is a running task of td on the container instance ci.
func task(arn, td, ci string, overrideRole bool) *inventory.Task {
	t := inventory.NewTask(arn, time.Unix(1, 0))
	t.TaskDefinitionARN, t.ContainerInstanceARN, t.OverrideTaskRole = td, ci, overrideRole
	return t
}
