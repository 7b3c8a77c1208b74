// Package awsapi is ecswin's only door to AWS: the narrow ECS and SSM
// interfaces the domain packages call, one aws.Config per policy (region,
// optional AssumeRole, endpoint overrides, retry mode), AWS error
// classification in one place (Classify, and Explain for the call, AWS's
// words and what to do), per-attempt API-call accounting from SDK
// middleware, and the SDK's own log lines through logr.
package awsapi
