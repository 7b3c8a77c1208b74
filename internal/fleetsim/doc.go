// Package fleetsim is an AWS of our own: an HTTP server speaking the real
// ECS and SSM JSON 1.1 wire protocol over an in-memory fleet of container
// instances, whose Windows hosts run route-bootstrap's real logic on an
// in-memory OS when an SSM command reaches them. Every request is held to
// AWS's own service models (botocore's) before any service logic, and
// the conformance test holds every answer to them too.
//
// Tests, benchmarks and the demo point the real aws-sdk-go-v2 clients (or
// the AWS CLI) at it with BaseEndpoint, inject faults through the Set*
// methods or the scenario, and assert on the fleet with HostState and
// FleetSummary, and on the API traffic with Calls.
//
// Time is the injected clock's; clock-driven state (SSM command
// progress, timed scenario events) advances lazily whenever a request or
// an inspection arrives, so a fake clock steps through it exactly.
package fleetsim
