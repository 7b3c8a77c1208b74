package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteText renders the report for people (--format text).
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	s := r.Summary
	mode := ""
	if s.Check {
		mode = " (check only)"
	}
	fmt.Fprintf(&b, "route-bootstrap %s%s: %s\n", s.Command, mode, s.Outcome)
	if s.InstanceID != "" {
		fmt.Fprintf(&b, "instance: %s\n", s.InstanceID)
	}
	if r.Proxy != nil {
		fmt.Fprintf(&b, "credential proxy: %s", healthWord(s.ProxyHealthy))
		if len(s.ProxyReasons) > 0 {
			fmt.Fprintf(&b, " (%s)", joinReasons(s.ProxyReasons))
		}
		if s.ProxyRepaired {
			b.WriteString(", repaired")
		}
		fmt.Fprintf(&b, "\n  adapter %q state %q, rule %q, agent listening %t\n",
			r.Proxy.Adapter, r.Proxy.AddressState, r.Proxy.Rule, r.Proxy.AgentListening)
		for _, e := range r.Proxy.ExcludedRanges {
			fmt.Fprintf(&b, "  excluded port range %s covers the agent's ports\n", e)
		}
	}
	if s.Command == CommandHost {
		fmt.Fprintf(&b, "containers: %d checked, %d skipped, %d lacking the route before, %d after, %d repaired, %d failed\n",
			s.ContainersChecked, s.ContainersSkipped, s.ContainersLackingRouteBefore,
			s.ContainersLackingRouteAfter, s.ContainersRepaired, s.ContainersFailed)
	}
	for _, rt := range r.Routes {
		fmt.Fprintf(&b, "  route %s via %s if %d: %s\n", rt.Destination, rt.Gateway, rt.Interface, rt.Action)
	}
	for _, c := range r.Containers {
		fmt.Fprintf(&b, "  container %s %s", c.ID, c.Status)
		if c.Message != "" {
			fmt.Fprintf(&b, ": %s", c.Message)
		}
		b.WriteByte('\n')
	}
	if r.ContainersOmitted > 0 {
		fmt.Fprintf(&b, "  ... and %d more containers\n", r.ContainersOmitted)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem: %s\n", p)
	}
	if r.ProblemsOmitted > 0 {
		fmt.Fprintf(&b, "... and %d more problems\n", r.ProblemsOmitted)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func healthWord(ok bool) string {
	if ok {
		return "healthy"
	}
	return "unhealthy"
}

func joinReasons(rs []ProxyReason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ", ")
}
