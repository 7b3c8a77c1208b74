package audit

import (
	"slices"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// HostIssues turns findings (worst first, as Run returns them) into the
// status's bounded list of hosts: at most max hosts, each once with all
// its problems (its worst as Reason and Message), every reason given a
// fair share of the list, worst hosts first within each. It also returns
// how many hosts with findings the list leaves out.
func HostIssues(fs []Finding, max int) ([]v1alpha1.HostIssue, int) {
	picked, omitted := fairShare(fs, SubjectHost, func(f Finding) string { return f.Cluster + "/" + f.InstanceID }, max)
	out := make([]v1alpha1.HostIssue, 0, len(picked))
	for _, group := range picked {
		worst := group[0]
		hi := v1alpha1.HostIssue{Cluster: worst.Cluster, InstanceID: worst.InstanceID, Reason: worst.Reason, Message: worst.Message}
		for _, f := range group {
			if f.Reason == ReasonRouteMissing {
				hi.ContainersLackingRoute = int32(f.Count)
			}
		}
		hi.OtherProblems = otherProblems(group)
		out = append(out, hi)
	}
	return out, omitted
}

// TaskDefinitionIssues is HostIssues for task definitions, one entry per
// cluster and revision.
func TaskDefinitionIssues(fs []Finding, max int) ([]v1alpha1.TaskDefinitionIssue, int) {
	picked, omitted := fairShare(fs, SubjectTaskDefinition, func(f Finding) string { return f.Cluster + "/" + f.TaskDefinition }, max)
	out := make([]v1alpha1.TaskDefinitionIssue, 0, len(picked))
	for _, group := range picked {
		worst := group[0]
		out = append(out, v1alpha1.TaskDefinitionIssue{
			Cluster: worst.Cluster, TaskDefinition: worst.TaskDefinition, Reason: worst.Reason,
			Message: worst.Message, RunningTasks: int32(worst.Count), OtherProblems: otherProblems(group),
		})
	}
	return out, omitted
}

func otherProblems(group []Finding) []v1alpha1.IssueProblem {
	if len(group) < 2 {
		return nil
	}
	out := make([]v1alpha1.IssueProblem, 0, len(group)-1)
	for _, f := range group[1:] {
		out = append(out, v1alpha1.IssueProblem{Reason: f.Reason, Message: f.Message})
	}
	return out
}

// fairShare groups the findings about subject by key, each group worst
// first, and picks at most max groups: round after round, each reason (the
// worst reasons first) takes its worst group not picked yet, so no reason
// crowds the others out. A group picked for one reason covers its other
// reasons too. The groups come back worst first; the second result is how
// many were left out.
func fairShare(fs []Finding, subject Subject, key func(Finding) string, max int) ([][]Finding, int) {
	groups := map[string][]Finding{}
	rank := map[string]int{} // a group's place in fs: where its worst finding is
	var reasons []string
	byReason := map[string][]string{}
	for i, f := range fs {
		if f.Subject != subject {
			continue
		}
		k := key(f)
		if _, ok := groups[k]; !ok {
			rank[k] = i
		}
		groups[k] = append(groups[k], f)
		if _, ok := byReason[f.Reason]; !ok {
			reasons = append(reasons, f.Reason)
		}
		byReason[f.Reason] = append(byReason[f.Reason], k)
	}
	picked := map[string]bool{}
	var order []string
	for len(order) < max {
		took := false
		for _, r := range reasons {
			if len(order) == max {
				break
			}
			queue := byReason[r]
			for len(queue) > 0 && picked[queue[0]] {
				queue = queue[1:]
			}
			byReason[r] = queue
			if len(queue) == 0 {
				continue
			}
			picked[queue[0]], took = true, true
			order = append(order, queue[0])
		}
		if !took {
			break
		}
	}
	slices.SortFunc(order, func(a, b string) int { return rank[a] - rank[b] })
	out := make([][]Finding, len(order))
	for i, k := range order {
		out[i] = groups[k]
	}
	return out, len(groups) - len(order)
}
