// Package inventory reads what ECS and SSM know about a policy's Windows
// container instances, their running tasks and task definitions, in as
// few calls as AWS allows, and turns the answers into plain values that
// the audit rules judge. Missing fields never panic: the host or task is
// kept with a reason, or skipped.
package inventory
