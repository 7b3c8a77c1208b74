package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// The proxy-repair breaker of a policy: when more than
// spec.remediation.proxyRepairBreaker.maxFailedPercent of the hosts whose
// proxy ecswin last tried to repair are still broken, and at least
// minFailed of them, proxy repair stops for the policy. Broken proxies are
// then reported as under hostProxy Report, the ProxyRepairHealthy
// condition says why, and a Warning Event says how to resume: change the
// spec, or set a new value on the AnnotationResetBreaker annotation. Route
// repairs go on. An open breaker stays open until then, also once the
// share falls (no repairs go out to change it).

// AnnotationResetBreaker is the FleetPolicy annotation whose new value
// closes the policy's proxy-repair breaker and ends every host's
// back-off; the manager compares values and writes nothing back, so any
// new value (a timestamp) does: kubectl annotate fleetpolicy NAME
// ecswin.io/reset-breaker=$(date +%s) --overwrite.
const AnnotationResetBreaker = "ecswin.io/reset-breaker"

// Event reasons of the breaker.
const (
	EventProxyRepairSuspended = "ProxyRepairSuspended"
	EventProxyRepairResumed   = "ProxyRepairResumed"
)

// breaker is the policy's proxy-repair breaker, kept in its memory.
type breaker struct {
	open bool
	// why says what tripped it.
	why string
	// spec is the spec last judged under; a change resets.
	spec *v1alpha1.FleetPolicySpec
	// token is the reset annotation's value last seen (seen: one was);
	// reset asks the next pass to close the breaker.
	token string
	seen  bool
	reset bool
}

// retarget closes the breaker of a policy that now names another AWS
// target: what tripped it concerned other hosts. The first retarget of a
// memory (from none) keeps what Breaker restored.
func (b *breaker) retarget() { b.open, b.why, b.spec = false, "", nil }

// BreakerInput is what the adapter knows of a policy's breaker beyond its
// spec: the reset annotation and, after a restart, the condition it
// wrote.
type BreakerInput struct {
	// ResetToken is the value of AnnotationResetBreaker ("" if none). A
	// value other than the one last seen closes the breaker; the first
	// value a new memory sees (a restart) only becomes the one to compare.
	ResetToken string
	// Suspended is the message of a ProxyRepairSuspended condition that
	// the status holds for the current generation; a new memory starts
	// open with it, so a restart does not repair again what did not take.
	Suspended string
}

// Breaker tells the engine what the adapter knows of ref's breaker; call
// it before the policy's Pass.
func (e *Engine) Breaker(ref PolicyRef, in BreakerInput) {
	m := e.memory(ref)
	m.passMu.Lock()
	defer m.passMu.Unlock()
	b := &m.breaker
	switch {
	case !b.seen:
		b.seen, b.token = true, in.ResetToken
		if in.Suspended != "" && !b.open {
			why := strings.TrimSuffix(strings.TrimPrefix(in.Suspended, suspendedPrefix), "; "+resumeHint)
			b.open, b.why = true, why
		}
	case in.ResetToken != b.token:
		b.token, b.reset = in.ResetToken, true
	}
}

// breakerChange is what the breaker step did this pass.
type breakerChange struct {
	tripped bool
	// resumed says why the breaker closed, if it was open.
	resumed string
}

// judgeBreaker resets the breaker and every host's back-off when the
// spec changed or an operator asked, then trips the breaker when the
// share of proxy repairs that did not take passes the spec's.
func judgeBreaker(_ context.Context, p *pass) (time.Duration, error) {
	b := &p.mem.breaker
	why := ""
	switch {
	case b.reset:
		why = "the annotation " + AnnotationResetBreaker + " was given a new value"
	case b.spec != nil && !equality.Semantic.DeepEqual(*b.spec, p.spec):
		why = "the spec changed"
	}
	if why != "" {
		if b.open {
			p.did.breaker.resumed = why
		}
		for _, h := range p.mem.hosts {
			h.repairs = repairs{}
		}
		b.open, b.why, b.reset = false, "", false
	}
	spec := p.spec
	b.spec = &spec
	if b.open || !proxyRepairOn(p.spec) {
		return 0, nil
	}
	tried, failed := proxyRepairTally(p.mem)
	s := p.spec.Remediation.ProxyRepairBreaker
	if pct := int(*s.MaxFailedPercent); failed >= int(s.MinFailed) && failed*100 > pct*tried {
		b.open = true
		b.why = fmt.Sprintf("%d of the %d host(s) whose credential proxy ecswin last tried to repair are still broken "+
			"(more than spec.remediation.proxyRepairBreaker.maxFailedPercent %d%%, and at least minFailed %d)", failed, tried, pct, s.MinFailed)
		p.did.breaker.tripped = true
	}
	return 0, nil
}

// proxyRepairTally counts the hosts whose proxy ecswin tried to repair,
// and those among them whose last repair did not take.
func proxyRepairTally(m *memory) (tried, failed int) {
	for _, h := range m.hosts {
		if h.repairs.proxyTried {
			tried++
			if h.repairs.proxyFailed {
				failed++
			}
		}
	}
	return tried, failed
}

// proxyRepairActive: the policy repairs broken proxies now (the spec asks
// it and the breaker is closed).
func (p *pass) proxyRepairActive() bool {
	return proxyRepairOn(p.spec) && !p.mem.breaker.open
}

// suspendedPrefix begins the condition's message while the breaker is
// open; the rest is why and resumeHint.
const suspendedPrefix = "proxy repair is suspended: "

// resumeHint says how to close an open breaker.
const resumeHint = "broken proxies are reported, not repaired, and route repairs go on; " +
	"to resume proxy repair, fix the cause on the hosts (see hostIssues) and change the spec, or give the annotation " +
	AnnotationResetBreaker + " a new value (kubectl annotate fleetpolicy NAME " + AnnotationResetBreaker + "=$(date +%s) --overwrite; ecswinctl: edit the policy file)"

// proxyRepairHealthy is the ProxyRepairHealthy condition.
func proxyRepairHealthy(j judged) StepCondition {
	b := j.st.mem.breaker
	switch {
	case !proxyRepairOn(j.spec):
		return cond(true, v1alpha1.ReasonProxyRepairOff,
			"proxy repair is not asked (it needs spec.remediation.mode and hostProxy both Enforce): broken proxies are reported")
	case b.open:
		return cond(false, v1alpha1.ReasonProxyRepairSuspended, suspendedPrefix+b.why+"; "+resumeHint)
	}
	tried, failed := proxyRepairTally(j.st.mem)
	s := j.spec.Remediation.ProxyRepairBreaker
	what := "no proxy repair tried yet"
	if tried > 0 {
		what = fmt.Sprintf("%d of the %d host(s) whose credential proxy ecswin last tried to repair are still broken", failed, tried)
	}
	return cond(true, v1alpha1.ReasonRepairsSucceeding, fmt.Sprintf("%s; proxy repair stops past %d%% with at least %d", what, *s.MaxFailedPercent, s.MinFailed))
}

// breakerEvents are a Warning when the breaker trips and a Normal event
// when an open breaker closes.
func breakerEvents(st *state, _ v1alpha1.FleetPolicySpec) []Event {
	var out []Event
	if why := st.did.breaker.resumed; why != "" {
		out = append(out, event(EventNormal, EventProxyRepairResumed, "breaker", "proxy repair resumed: "+why+"; every host's back-off starts over"))
	}
	if st.did.breaker.tripped {
		out = append(out, event(EventWarning, EventProxyRepairSuspended, "breaker", "proxy repair suspended: "+st.mem.breaker.why+"; "+resumeHint))
	}
	return out
}
