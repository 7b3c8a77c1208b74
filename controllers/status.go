package controllers

import (
	"encoding/json"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/engine"
)

// statusFromResult maps one engine Result onto a copy of the policy's
// status. Times are cut to seconds, as the API server stores them, so an
// unchanged fleet compares equal and costs no write.
func statusFromResult(policy *ecswinv1alpha1.FleetPolicy, res engine.Result, now time.Time) *ecswinv1alpha1.FleetPolicyStatus {
	gen := policy.Generation
	status := policy.Status.DeepCopy()
	status.ObservedGeneration = gen
	status.Counts = res.Counts
	status.HostIssues = res.HostIssues
	status.HostIssuesOmitted = int32(res.HostIssuesOmitted)
	status.TaskDefinitionIssues = res.TaskDefinitionIssues
	status.TaskDefinitionIssuesOmitted = int32(res.TaskDefinitionIssuesOmitted)
	if !res.LastSyncTime.IsZero() {
		t := metav1.NewTime(res.LastSyncTime).Rfc3339Copy()
		status.LastSyncTime = &t
	}
	transition := metav1.NewTime(now).Rfc3339Copy()
	for _, c := range res.Conditions {
		meta.SetStatusCondition(&status.Conditions, metav1.Condition{
			Type:               c.Type,
			Status:             c.Status,
			Reason:             c.Reason,
			Message:            c.Message,
			ObservedGeneration: gen,
			LastTransitionTime: transition,
		})
	}
	ready := readyCondition(status.Conditions, gen)
	ready.LastTransitionTime = transition
	meta.SetStatusCondition(&status.Conditions, ready)
	keepRecentLastSync(status, &policy.Status)
	return status
}

// lastSyncRefresh is how old status.lastSyncTime may grow before a write
// that changes nothing else refreshes it. Without it every inventory of a
// steady fleet (each minute by default) would cost a status write for
// that field alone, and `kubectl get -w` would print the same row each
// time; ecswin_fleet_last_sync_timestamp_seconds stays exact.
const lastSyncRefresh = 5 * time.Minute

// keepRecentLastSync keeps cur's lastSyncTime in next when it is younger
// than lastSyncRefresh and the rest of the status is unchanged.
func keepRecentLastSync(next, cur *ecswinv1alpha1.FleetPolicyStatus) {
	if next.LastSyncTime == nil || cur.LastSyncTime == nil || next.LastSyncTime.Sub(cur.LastSyncTime.Time) >= lastSyncRefresh {
		return
	}
	fresh := next.LastSyncTime
	next.LastSyncTime = cur.LastSyncTime
	if !equality.Semantic.DeepEqual(next, cur) {
		next.LastSyncTime = fresh
	}
}

// statusPatch is a JSON merge patch that sets the whole status: every
// count (a diff against the object as read would leave out zero counts,
// which the API server then finds missing on a first write) and an
// explicit null for every list or time that is now empty, so nothing
// stale survives. Without a resourceVersion it never conflicts with a
// concurrent spec or label change; the generation change that follows a
// spec edit brings another reconcile.
func statusPatch(status *ecswinv1alpha1.FleetPolicyStatus) (client.Patch, error) {
	raw, err := json.Marshal(status)
	if err != nil {
		return nil, fmt.Errorf("encoding status: %w", err)
	}
	fields := map[string]any{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("encoding status: %w", err)
	}
	for _, name := range []string{"conditions", "lastSyncTime", "hostIssues", "hostIssuesOmitted", "taskDefinitionIssues", "taskDefinitionIssuesOmitted"} {
		if _, ok := fields[name]; !ok {
			fields[name] = nil
		}
	}
	body, err := json.Marshal(map[string]any{"status": fields})
	if err != nil {
		return nil, fmt.Errorf("encoding status: %w", err)
	}
	return client.RawPatch(types.MergePatchType, body), nil
}
