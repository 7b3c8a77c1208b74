package remediate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
	"github.com/ecswin/ecswin/internal/inventory"
)

// ReadReport parses what one host printed. The report must come from the
// host the invocation ran on; anything else is unreadable, with why.
func ReadReport(stdout []byte, instanceID string, at time.Time) (*inventory.HostReport, error) {
	r, err := report.Parse(stdout)
	if err != nil {
		return nil, err
	}
	if r.Summary.Command != report.CommandHost {
		return nil, fmt.Errorf("%w: report of command %q, want %q", report.ErrInvalid, r.Summary.Command, report.CommandHost)
	}
	if r.Summary.InstanceID != "" && r.Summary.InstanceID != instanceID {
		return nil, fmt.Errorf("%w: report claims instance %q but came from %q", report.ErrInvalid, r.Summary.InstanceID, instanceID)
	}
	s := r.Summary
	reasons := make([]string, len(s.ProxyReasons))
	var advice []string
	for i, pr := range s.ProxyReasons {
		reasons[i] = string(pr)
		if !pr.Repairable() {
			advice = append(advice, pr.Advice())
		}
	}
	needsOperator := !s.ProxyHealthy && report.ProxyNeedsOperator(s.ProxyReasons)
	var drifted []string
	for _, c := range r.Containers {
		if c.TaskARN != "" && (c.Status == report.ContainerLacking || c.Status == report.ContainerRepaired) {
			drifted = append(drifted, c.TaskARN)
		}
	}
	return &inventory.HostReport{
		TasksWithoutRoute:            slices.Compact(slices.Sorted(slices.Values(drifted))),
		InstanceID:                   instanceID,
		At:                           at,
		CheckOnly:                    s.Check,
		ContainersChecked:            s.ContainersChecked,
		ContainersLackingRouteBefore: s.ContainersLackingRouteBefore,
		ContainersLackingRoute:       s.ContainersLackingRouteAfter,
		ContainersRepaired:           s.ContainersRepaired,
		ProxyHealthy:                 s.ProxyHealthy,
		ProxyProblem:                 strings.Join(reasons, ", "),
		ProxyRepaired:                s.ProxyRepaired,
		ProxyNeedsOperator:           needsOperator,
		ProxyAdvice:                  strings.Join(advice, "; "),
	}, nil
}

// reportError is the message for a report outcome of Error: the check
// itself could not run.
func reportError(stdout []byte) (string, bool) {
	r, err := report.Parse(stdout)
	if err != nil || r.Summary.Outcome != report.OutcomeError {
		return "", false
	}
	msg := "route-bootstrap could not run its checks"
	if len(r.Problems) > 0 {
		msg += ": " + r.Problems[0]
	}
	return msg, true
}
