package engine

import (
	"slices"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
)

// causeReasons are the condition reasons of the kinds of failed AWS calls
// that have one of their own; any other is AWSError.
var causeReasons = map[awsapi.Kind]string{
	awsapi.KindCredentials:  v1alpha1.ReasonCredentialsMissing,
	awsapi.KindUnreachable:  v1alpha1.ReasonEndpointUnreachable,
	awsapi.KindAccessDenied: v1alpha1.ReasonAccessDenied,
	awsapi.KindThrottled:    v1alpha1.ReasonThrottled,
}

// causeOrder ranks the causes by what to fix first: without credentials
// or a reachable endpoint nothing else can be seen.
var causeOrder = []string{
	v1alpha1.ReasonCredentialsMissing, v1alpha1.ReasonEndpointUnreachable, v1alpha1.ReasonAccessDenied,
	v1alpha1.ReasonClusterNotFound, v1alpha1.ReasonThrottled,
}

// causeReason is the condition reason of a failed call's cause.
func causeReason(c awsapi.Cause) string {
	if c.Code == "ClusterNotFoundException" {
		return v1alpha1.ReasonClusterNotFound
	}
	if r, ok := causeReasons[c.Kind]; ok {
		return r
	}
	return v1alpha1.ReasonAWSError
}

// problemReason is the condition reason of an inventory problem.
func problemReason(p inventory.Problem) string {
	if p.Reason == inventory.ReasonClusterNotFound {
		return v1alpha1.ReasonClusterNotFound
	}
	return causeReason(p.Cause)
}

// inventoryReason is InventorySynced's reason for an incomplete
// inventory: the cause to fix first among its problems.
func inventoryReason(ps []inventory.Problem) string {
	best, rank := v1alpha1.ReasonAWSError, len(causeOrder)
	for _, p := range ps {
		r := problemReason(p)
		if i := slices.Index(causeOrder, r); i >= 0 && i < rank {
			best, rank = r, i
		}
	}
	return best
}

// blockedCondition is RemediationHealthy for what stopped remediation: a
// failed AWS call by its cause, in awsapi.Explain's words.
func blockedCondition(b *blocker) StepCondition {
	if b.reason == v1alpha1.ReasonAWSError {
		if c := awsapi.Explain(b.err); c.Kind != awsapi.KindNone {
			return cond(false, causeReason(c), c.String())
		}
	}
	return cond(false, b.reason, b.err.Error())
}
