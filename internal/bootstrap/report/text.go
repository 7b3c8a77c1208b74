package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteText renders the report for people (--format text), capped like
// the JSON: detail lines go first, counts stay.
func (r *Report) WriteText(w io.Writer) error {
	data, err := r.fit(func(out *Report) ([]byte, error) { return []byte(out.text()), nil })
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (r *Report) text() string {
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
		r.proxyText(&b)
	}
	if s.Command == CommandHost {
		fmt.Fprintf(&b, "containers: %d checked, %d skipped, %d lacking the route before, %d after, %d repaired, %d failed\n",
			s.ContainersChecked, s.ContainersSkipped, s.ContainersLackingRouteBefore,
			s.ContainersLackingRouteAfter, s.ContainersRepaired, s.ContainersFailed)
		if s.ContainersHyperV > 0 {
			fmt.Fprintf(&b, "  %d Hyper-V-isolated container(s) not checked: the Docker Engine cannot copy into them while they run\n", s.ContainersHyperV)
		}
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
	return b.String()
}

func (r *Report) proxyText(b *strings.Builder) {
	s, p := r.Summary, r.Proxy
	fmt.Fprintf(b, "credential proxy: %s", healthWord(s.ProxyHealthy))
	if len(s.ProxyReasons) > 0 {
		fmt.Fprintf(b, " (%s)", joinReasons(s.ProxyReasons))
	}
	if s.ProxyRepaired {
		b.WriteString(", repaired")
	}
	fmt.Fprintf(b, "\n  adapter %q state %q, rule %q, agent listening %t, 169.254.170.2:80 listening %t",
		p.Adapter, p.AddressState, p.Rule, p.AgentListening, p.EndpointListening)
	if p.IPHelper != "" {
		fmt.Fprintf(b, ", iphlpsvc %s", p.IPHelper)
	}
	b.WriteByte('\n')
	for _, e := range p.ExcludedRanges {
		fmt.Fprintf(b, "  excluded port range %s covers the agent's ports\n", e)
	}
	for _, e := range p.ProtectedRanges {
		fmt.Fprintf(b, "  administered exclusion %s keeps the agent's ports free\n", e)
	}
	for _, step := range p.Repairs {
		fmt.Fprintf(b, "  repair: %s\n", step)
	}
	for _, reason := range s.ProxyReasons {
		fmt.Fprintf(b, "  %s: %s\n", reason, reason.Advice())
	}
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
