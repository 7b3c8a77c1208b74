// Package remediate repairs hosts through SSM Run Command without ever
// waiting: it keeps the SSM document current, chooses the hosts that need
// a run, sends route-bootstrap in batches, and turns finished invocations
// into host reports or reasons, a pass at a time.
package remediate
