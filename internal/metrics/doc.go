// Package metrics holds ecswin's Prometheus metrics. Counters and the
// histogram are updated as things happen; state gauges are computed at
// scrape time from the engine's latest results, so a forgotten policy or
// a vanished host leaves no stale series.
//
// New(reg) registers them all on reg: controller-runtime's
// metrics.Registry in the manager, a registry of its own in ecswinctl.
//
//	name                                        type       labels                              meaning
//	ecswin_fleet_hosts                          gauge      policy, state                       Windows container instances by state: Healthy, Drifted, Repairing, Unverified, Unreachable, ReportUnreadable, RepairFailed
//	ecswin_fleet_containers_lacking_route       gauge      policy                              NAT-mode task containers without the credential route, from the hosts' last reports
//	ecswin_fleet_drifted_hosts                  gauge      policy                              hosts whose last report found drift, a repair in flight or not
//	ecswin_fleet_last_sync_timestamp_seconds    gauge      policy                              Unix time of the last complete inventory (every cluster read); 0 until the first
//	ecswin_policy_inventory_interval_seconds    gauge      policy                              the policy's spec.intervals.inventory after defaults (how often a complete inventory should come)
//	ecswin_remediation_proxy_repair_suspended   gauge      policy                              1 while the proxy-repair breaker is open: broken proxies are reported, not repaired
//	ecswin_audit_host_findings                  gauge      policy, reason                      hosts with a finding of that reason (from their last report and last run: a retry in flight does not hide it)
//	ecswin_audit_port80_conflicts               gauge      policy, cluster, family             task-definition revisions mapping host port 80 on clusters with task roles on
//	ecswin_fleet_drift_detected_total           counter    policy, reason                      runs that found a host drifted (reason RouteMissing or CredentialProxyBroken)
//	ecswin_remediation_repairs_total            counter    policy, result                      finished runs by result: succeeded, checked, reported, still_broken, failed, timed_out, undeliverable, cancelled, report_unreadable
//	ecswin_ssm_invocation_duration_seconds      histogram  policy, result                      from SendCommand to the run's end, per host (buckets 5 s to about 85 min)
//	ecswin_aws_api_calls_total                  counter    policy, service, operation, result  AWS API attempts, retries included; result is success or the error kind (throttled, server, credentials, ...)
//	ecswin_aws_api_throttles_total              counter    policy, service, operation          AWS API attempts answered with a throttling error
//	ecswin_build_info                           gauge      version, commit, route_bootstrap_sha256  always 1: this release and the route-bootstrap.exe hash it pins
//
// The counters of a policy start at zero (InitPolicy) for every label
// value known in advance, so rates read 0 before the first event. The
// policy of an AWS call comes from its context (awsapi.WithPolicy).
//
// Label values are bounded: policies, states, reasons and results are
// fixed sets or the policies themselves; clusters and families come from
// the policy's fleet. No instance IDs, command IDs or revisions.
package metrics
