// Package fleet is the simulator's in-memory model of an AWS account:
// ECS clusters, container instances, task definitions and tasks, and
// the host behind each instance (its SSM agent and, for Windows, an
// in-memory OS from route-bootstrap's memos package).
//
// The model is not safe for concurrent use: the simulator serialises
// every call under one lock. It is built to be cheap at 10,000
// instances: ARNs and attributes are derived on demand, and a Windows
// host's in-memory OS is created only when something needs it (a
// command runs on it, it reboots, its proxy breaks).
package fleet
