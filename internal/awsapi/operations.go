package awsapi

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// Operation is one AWS API operation ecswin calls, named as the SDK's
// middleware names it (service ID and operation name), which is how call
// accounting labels it.
type Operation struct {
	Service, Name string
}

// APIOperations lists every operation ecswin calls, sorted: those of
// ECSAPI and SSMAPI (Operations, which a test holds to the interfaces)
// and STS AssumeRole for policies with a role. Metrics start their
// per-operation counters at zero from it, so a rate over an operation
// that never failed shows 0 rather than no data.
func APIOperations() []Operation {
	out := make([]Operation, 0, len(Operations)+1)
	for _, action := range append(slices.Sorted(maps.Keys(Operations)), "sts:AssumeRole") {
		prefix, name, _ := strings.Cut(action, ":")
		// The IAM prefixes of ECS, SSM and STS are their service IDs
		// in lower case.
		out = append(out, Operation{Service: strings.ToUpper(prefix), Name: name})
	}
	return out
}

type policyKey struct{}

// WithPolicy marks the AWS calls made with ctx as the named policy's, so
// call accounting can label them: clients are shared by policies with
// the same settings, so the client cannot say whose call it makes.
func WithPolicy(ctx context.Context, policy string) context.Context {
	return context.WithValue(ctx, policyKey{}, policy)
}

// PolicyOf is the policy WithPolicy put in ctx, or "".
func PolicyOf(ctx context.Context) string {
	p, _ := ctx.Value(policyKey{}).(string)
	return p
}
