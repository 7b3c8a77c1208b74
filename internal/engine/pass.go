package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
)

// passRun carries one pass from step to step.
type passRun struct {
	e      *Engine
	ref    PolicyRef
	st     *policyState
	spec   v1alpha1.FleetPolicySpec
	now    time.Time
	api    awsapi.Clients
	events []Event

	inventoried bool
	// inventoryErr: no cluster could be read (retryable).
	inventoryErr error
	// mu guards events, overflow, counters and the remediation error,
	// which the pass's concurrent chains all write.
	mu sync.Mutex
	// sendMu serialises sends, which share the in-flight budget.
	sendMu sync.Mutex
	// remediationErr and remediationReason say why remediation could not
	// go on this pass.
	remediationErr    error
	remediationReason string
	sent, targeted    int
	// attributesSet and attributesRemoved count readiness attribute
	// changes.
	attributesSet, attributesRemoved int
	// overflow counts per-host events left out, by type/reason.
	overflow map[string]int
}

func (e *Engine) pass(ctx context.Context, ref PolicyRef, st *policyState, spec v1alpha1.FleetPolicySpec) (Result, error) {
	spec = WithDefaults(spec)
	p := &passRun{e: e, ref: ref, st: st, spec: spec, now: e.deps.Clock.Now()}
	if err := validate(spec); err != nil {
		return p.invalidSpec(err), err
	}
	settings := awsapi.SettingsFor(ref.String(), spec.AWS)
	api, err := e.deps.Clients.ClientsFor(ctx, settings)
	if err != nil {
		if res, refused := p.refusal(err); refused != nil {
			return res, refused
		}
		res := p.result()
		return res, fmt.Errorf("building AWS clients: %w", err)
	}
	p.api = api
	st.resetOnNewAccount(settings)
	log := logr.FromContextOrDiscard(ctx).WithValues("policy", ref.String())

	// Three independent chains run side by side, each on its own part
	// of the policy's memory: SSM commands (recover, then poll), the
	// inventory, and the document. As soon as a cluster's hosts are known
	// (its task listing, the longest chain, still running), hosts that
	// need a run whatever their tasks are sent one; the rest is sent once
	// everything is read.
	rp := p.planRuns()
	plan, planErr := rp.plan, rp.err
	var (
		chains, early      sync.WaitGroup
		invErr             error
		polled, documented = make(chan struct{}), make(chan struct{})
	)
	chains.Add(2)
	go func() {
		defer chains.Done()
		defer close(polled)
		p.recover(ctx)
		p.poll(ctx)
	}()
	if planErr == nil && !p.documentReady(rp) {
		chains.Add(1)
		go func() {
			defer chains.Done()
			defer close(documented)
			p.ensureDocument(ctx, plan.Document, rp.content)
		}()
	} else {
		close(documented)
	}
	hostsKnown := func(hosts []*inventory.Host) {
		if planErr != nil {
			return
		}
		early.Add(1)
		go func() {
			defer early.Done()
			<-polled
			<-documented
			if st.recovered {
				p.sendTo(ctx, rp, hosts, nil)
			}
		}()
	}
	go func() {
		defer chains.Done()
		invErr = p.inventory(ctx, hostsKnown)
	}()
	chains.Wait()
	early.Wait()
	if invErr != nil {
		return p.result(), invErr
	}
	if p.inventoried {
		st.pruneHosts(st.fleet)
	}
	p.markReadiness(ctx)
	switch {
	case planErr != nil:
		p.failRemediation(planErr, rp.reason)
	case st.recovered && st.fleet != nil:
		p.sendAll(ctx, rp)
	}
	res := p.result()
	p.log(log, res)
	return res, p.inventoryErr
}

// log reports what changed: sends and inventory problems at info level,
// the pass summary at V(1).
func (p *passRun) log(log logr.Logger, res Result) {
	if p.sent > 0 {
		log.Info("sent route-bootstrap", "hosts", p.targeted, "commands", p.sent, "check", p.spec.Remediation.Mode != v1alpha1.ModeEnforce)
	}
	if p.inventoried && p.st.fleet != nil {
		msg := problemsMessage(p.st.fleet.Problems)
		if msg != p.st.lastProblems && msg != "" {
			log.Info("inventory incomplete", "problems", msg)
		}
		p.st.lastProblems = msg
	}
	if p.remediationErr != nil {
		log.Info("remediation blocked", "reason", p.remediationReason, "error", p.remediationErr.Error())
	}
	log.V(1).Info("pass done", "inventoried", p.inventoried, "windowsInstances", res.Counts.WindowsInstances,
		"drifted", res.Counts.DriftedHosts, "inFlight", res.Counts.RepairsInFlight, "requeueAfter", res.RequeueAfter)
}

// failRemediation records the first reason remediation could not go on.
func (p *passRun) failRemediation(err error, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.remediationErr == nil {
		p.remediationErr, p.remediationReason = err, reason
	}
}

func (p *passRun) event(typ, reason, key, msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, Event{Type: typ, Reason: reason, Message: msg, Key: reason + "/" + key})
}

// invalidSpec is the result of a spec the engine cannot act on.
func (p *passRun) invalidSpec(err error) Result {
	res := p.result()
	for i := range res.Conditions {
		res.Conditions[i].Status = "False"
		res.Conditions[i].Reason = v1alpha1.ReasonInvalidSpec
		res.Conditions[i].Message = err.Error()
	}
	res.RequeueAfter = 0 // only a spec change helps
	return res
}
