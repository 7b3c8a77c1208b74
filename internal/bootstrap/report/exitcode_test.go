package report

import "testing"

// A host run fails (4) only when something it was allowed to repair is
// left broken, or a container could not be checked; drift it was not
// allowed to change is reported (9), which the document turns into a
// successful invocation.
func TestHostExitCode(t *testing.T) {
	broken := func(s Summary) Summary { s.Outcome = OutcomeBroken; return s }
	downProxy := []ProxyReason{ProxyRuleMissing}
	cases := map[string]struct {
		s          Summary
		proxyAllow bool
		want       int
	}{
		"healthy":        {Summary{Outcome: OutcomeHealthy, ProxyHealthy: true}, true, ExitHealthy},
		"repaired":       {Summary{Outcome: OutcomeRepaired, ProxyHealthy: true}, true, ExitRepaired},
		"needs operator": {Summary{Outcome: OutcomeNeedsOperator}, true, ExitNeedsOperator},
		"error":          {Summary{Outcome: OutcomeError}, true, ExitError},
		"check finds containers without the route": {
			broken(Summary{Check: true, ProxyHealthy: true, ContainersLackingRouteBefore: 2, ContainersLackingRouteAfter: 2}), false, ExitDriftReported},
		"check finds the proxy down": {
			broken(Summary{Check: true, ProxyReasons: downProxy}), false, ExitDriftReported},
		"routes still missing after a repair": {
			broken(Summary{ProxyHealthy: true, ContainersLackingRouteBefore: 2, ContainersLackingRouteAfter: 1, ContainersRepaired: 1}), false, ExitBroken},
		"proxy down, its repair not allowed": {
			broken(Summary{ProxyReasons: downProxy}), false, ExitDriftReported},
		"routes repaired, proxy down and not allowed": {
			broken(Summary{ProxyReasons: downProxy, ContainersLackingRouteBefore: 1, ContainersRepaired: 1}), false, ExitDriftReported},
		"proxy down after an allowed repair": {
			broken(Summary{ProxyReasons: downProxy}), true, ExitBroken},
		"routes left and proxy not allowed": {
			broken(Summary{ProxyReasons: downProxy, ContainersLackingRouteAfter: 1}), false, ExitBroken},
		"a container the check could not read": {
			broken(Summary{Check: true, ProxyHealthy: true, ContainersFailed: 1}), false, ExitBroken},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := HostExitCode(c.s, c.proxyAllow); got != c.want {
				t.Errorf("HostExitCode = %d, want %d", got, c.want)
			}
		})
	}
}
