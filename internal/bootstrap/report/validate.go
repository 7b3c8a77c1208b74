package report

import (
	"fmt"
)

// Validate checks what the controller relies on: a known command and
// outcome and counts that add up.
func (r *Report) Validate() error {
	s := r.Summary
	switch s.Command {
	case CommandHost, CommandEnsure:
	default:
		return fmt.Errorf("%w: unknown command %q", ErrInvalid, firstRunes([]byte(s.Command), 32))
	}
	switch s.Outcome {
	case OutcomeHealthy, OutcomeRepaired, OutcomeBroken, OutcomeNeedsOperator, OutcomeError:
	default:
		return fmt.Errorf("%w: unknown outcome %q", ErrInvalid, firstRunes([]byte(s.Outcome), 32))
	}
	counts := map[string]int{
		"containersChecked":            s.ContainersChecked,
		"containersSkipped":            s.ContainersSkipped,
		"containersLackingRouteBefore": s.ContainersLackingRouteBefore,
		"containersLackingRouteAfter":  s.ContainersLackingRouteAfter,
		"containersRepaired":           s.ContainersRepaired,
		"containersFailed":             s.ContainersFailed,
		"containersHyperV":             s.ContainersHyperV,
		"routesAdded":                  s.RoutesAdded,
		"routesReplaced":               s.RoutesReplaced,
		"containersOmitted":            r.ContainersOmitted,
		"problemsOmitted":              r.ProblemsOmitted,
	}
	for name, n := range counts {
		if n < 0 {
			return fmt.Errorf("%w: %s is negative", ErrInvalid, name)
		}
	}
	if s.ContainersLackingRouteBefore > s.ContainersChecked || s.ContainersLackingRouteAfter > s.ContainersChecked {
		return fmt.Errorf("%w: more containers lacking the route than checked", ErrInvalid)
	}
	if s.ContainersRepaired > s.ContainersLackingRouteBefore {
		return fmt.Errorf("%w: more containers repaired than lacked the route", ErrInvalid)
	}
	if len(r.Containers) > MaxContainerDetails || len(r.Problems) > MaxProblems {
		return fmt.Errorf("%w: more details than the schema allows", ErrInvalid)
	}
	if s.Outcome == OutcomeHealthy && (s.ContainersLackingRouteAfter > 0 || (s.Command == CommandHost && !s.ProxyHealthy)) {
		return fmt.Errorf("%w: outcome Healthy contradicts the counts", ErrInvalid)
	}
	// NeedsOperator is a host verdict on the proxy alone: a container still
	// lacking the route would make the host Broken.
	if s.Outcome == OutcomeNeedsOperator && (s.Command != CommandHost || s.ProxyHealthy || s.ContainersLackingRouteAfter > 0) {
		return fmt.Errorf("%w: outcome NeedsOperator contradicts the counts", ErrInvalid)
	}
	return nil
}
