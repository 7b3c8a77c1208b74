// Package engine is the core that the Kubernetes reconciler and ecswinctl
// share. One Pass of a policy runs an ordered list of small steps (steps.go),
// each in the file named for it:
//
//	recover    once per memory: what SSM still runs, and each host's last run
//	poll       read the commands in flight, apply the runs that ended
//	document   keep the SSM document current
//	inventory  read the clusters when due
//	audit      judge the fleet with the rules
//	repair     send route-bootstrap to the hosts that need it
//	mark       keep the readiness attribute in step (Enforce)
//
// then report, a pure function of what the pass knows, and publish, which
// makes the report visible as metrics and log lines. A pass never waits
// for SSM: it sends, records, and asks to come back.
//
// The policy's memory (commands in flight, last reports, the document
// version, the fleet) lives in memory.go, keyed by PolicyRef and reset
// when the policy's AWS target changes. While a pass runs only its
// goroutine touches that memory; steps call AWS side by side only inside
// themselves (bounded.Map, the inventory's pipeline), over values they
// merge before they return.
package engine
