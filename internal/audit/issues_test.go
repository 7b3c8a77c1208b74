package audit

import (
	"fmt"
	"testing"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

func hostF(id, reason string, sev Severity, count int) Finding {
	return Finding{Subject: SubjectHost, Cluster: "c", InstanceID: id, Reason: reason, Severity: sev, Count: count, Message: reason + " on " + id}
}

// A fleet in drift: 37 hosts lack the route, and few have the other
// problems. Every reason is listed, each host once.
func TestHostIssuesGiveEveryReasonItsShare(t *testing.T) {
	var fs []Finding
	for i := range 37 {
		fs = append(fs, hostF(fmt.Sprintf("i-route-%02d", i), ReasonRouteMissing, SeverityError, 1+i%3))
	}
	fs = append(fs,
		hostF("i-proxy-1", ReasonProxyBroken, SeverityError, 0),
		hostF("i-proxy-2", ReasonProxyBroken, SeverityError, 0),
		hostF("i-cap-1", ReasonCapabilityMissing, SeverityError, 0),
		hostF("i-fail-1", ReasonRepairFailed, SeverityWarning, 0),
		// A host whose route is missing and whose last run failed.
		hostF("i-route-05", ReasonBootstrapDownloadFailed, SeverityWarning, 0),
	)
	Sort(fs)
	list, omitted := HostIssues(fs, v1alpha1.MaxListedIssues)
	if len(list) != v1alpha1.MaxListedIssues || omitted != 41-v1alpha1.MaxListedIssues {
		t.Fatalf("listed %d, omitted %d; want %d and %d (41 hosts)", len(list), omitted, v1alpha1.MaxListedIssues, 41-v1alpha1.MaxListedIssues)
	}
	covered := map[string]int{}
	seen := map[string]bool{}
	for _, hi := range list {
		if seen[hi.InstanceID] {
			t.Errorf("%s listed twice", hi.InstanceID)
		}
		seen[hi.InstanceID] = true
		covered[hi.Reason]++
		for _, p := range hi.OtherProblems {
			covered[p.Reason]++
		}
	}
	for _, r := range []string{ReasonRouteMissing, ReasonProxyBroken, ReasonCapabilityMissing, ReasonRepairFailed, ReasonBootstrapDownloadFailed} {
		if covered[r] == 0 {
			t.Errorf("no listed host shows %s: %v", r, covered)
		}
	}
	if covered[ReasonProxyBroken] != 2 {
		t.Errorf("%d of the 2 hosts with a broken proxy listed, want both (a fair share is more than one)", covered[ReasonProxyBroken])
	}
	for i := 1; i < len(list); i++ {
		if severityOf(list[i-1].Reason, fs) < severityOf(list[i].Reason, fs) {
			t.Errorf("not worst first: %s (%s) before %s (%s)", list[i-1].InstanceID, list[i-1].Reason, list[i].InstanceID, list[i].Reason)
		}
	}
}

func severityOf(reason string, fs []Finding) Severity {
	for _, f := range fs {
		if f.Reason == reason {
			return f.Severity
		}
	}
	return -1
}

func TestHostIssuesListAHostOnceWithAllItsProblems(t *testing.T) {
	fs := []Finding{
		hostF("i-1", ReasonRouteMissing, SeverityError, 3),
		hostF("i-1", ReasonProxyBroken, SeverityError, 0),
		hostF("i-1", ReasonRepairFailed, SeverityWarning, 0),
		hostF("i-2", ReasonSSMUnreachable, SeverityWarning, 0),
		{Subject: SubjectTaskDefinition, Cluster: "c", TaskDefinition: "iis:1", Reason: ReasonHostPort80Conflict, Severity: SeverityError},
	}
	Sort(fs)
	list, omitted := HostIssues(fs, v1alpha1.MaxListedIssues)
	if omitted != 0 || len(list) != 2 {
		t.Fatalf("list %+v, omitted %d; want both hosts", list, omitted)
	}
	one := list[0]
	if one.InstanceID != "i-1" || one.Reason != ReasonRouteMissing || one.ContainersLackingRoute != 3 || len(one.OtherProblems) != 2 ||
		one.OtherProblems[0].Reason != ReasonProxyBroken || one.OtherProblems[1].Reason != ReasonRepairFailed ||
		one.OtherProblems[1].Message != "RepairFailed on i-1" {
		t.Errorf("i-1 = %+v, want RouteMissing (3 containers) with CredentialProxyBroken and RepairFailed", one)
	}
	if list[1].InstanceID != "i-2" || list[1].OtherProblems != nil {
		t.Errorf("i-2 = %+v", list[1])
	}
}

func TestTaskDefinitionIssuesShareToo(t *testing.T) {
	var fs []Finding
	for i := range 30 {
		fs = append(fs, Finding{Subject: SubjectTaskDefinition, Cluster: "c", TaskDefinition: fmt.Sprintf("web:%d", i+1),
			Reason: ReasonTaskRoleMissing, Severity: SeverityWarning, Count: 2})
	}
	fs = append(fs,
		Finding{Subject: SubjectTaskDefinition, Cluster: "c", TaskDefinition: "iis:1", Reason: ReasonHostPort80Conflict, Severity: SeverityError, Count: 4},
		Finding{Subject: SubjectTaskDefinition, Cluster: "c", TaskDefinition: "iis:1", Reason: ReasonAWSVPCHint, Severity: SeverityHint},
		Finding{Subject: SubjectTaskDefinition, Cluster: "c", TaskDefinition: "api:3", Reason: ReasonAWSVPCHint, Severity: SeverityHint},
	)
	Sort(fs)
	list, omitted := TaskDefinitionIssues(fs, 5)
	if len(list) != 5 || omitted != 32-5 {
		t.Fatalf("listed %d, omitted %d; want 5 and 27", len(list), omitted)
	}
	if list[0].TaskDefinition != "iis:1" || list[0].RunningTasks != 4 || len(list[0].OtherProblems) != 1 {
		t.Errorf("first = %+v, want iis:1 with its hint", list[0])
	}
	if last := list[len(list)-1]; last.TaskDefinition != "api:3" {
		t.Errorf("the hint's own revision is not listed: %+v", list)
	}
}

func TestIssuesOfACleanFleet(t *testing.T) {
	if list, omitted := HostIssues(nil, v1alpha1.MaxListedIssues); len(list) != 0 || omitted != 0 {
		t.Errorf("HostIssues(nil) = %v, %d", list, omitted)
	}
}
