// Package awsapi is ecswin's only door to AWS: the narrow ECS and SSM
// interfaces the domain packages call, one aws.Config per policy (region,
// optional AssumeRole, endpoint overrides, retry mode), AWS error
// classification in one place, and per-attempt API-call accounting from
// SDK middleware.
package awsapi
