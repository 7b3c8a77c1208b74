package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/inventory"
	"github.com/ecswin/ecswin/internal/remediate"
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
	api, err := e.deps.Clients.Clients(ctx, spec.AWS)
	if err != nil {
		res := p.result()
		return res, fmt.Errorf("building AWS clients: %w", err)
	}
	p.api = api
	st.resetOnNewAccount(awsapi.SettingsFrom(spec.AWS))
	log := logr.FromContextOrDiscard(ctx).WithValues("policy", ref.String())

	// Three independent chains run side by side, each on its own part
	// of the policy's memory: SSM commands (recover, then poll), the
	// inventory, and the document. As soon as a cluster's hosts are known
	// (its task listing, the longest chain, still running), hosts that
	// need a run whatever their tasks are sent one; the rest is sent once
	// everything is read.
	plan, planErr := remediate.PlanFor(spec)
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
	if planErr == nil && st.documentReady != plan.Document {
		chains.Add(1)
		go func() {
			defer chains.Done()
			defer close(documented)
			p.ensureDocument(ctx, plan.Document)
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
			if st.recovered && st.documentReady == plan.Document {
				p.sendTo(ctx, plan, hosts, nil)
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
		p.failRemediation(planErr, v1alpha1.ReasonInvalidSpec)
	case st.recovered && st.fleet != nil && st.documentReady == plan.Document:
		p.sendAll(ctx, plan)
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

// recover reads back, once per policy, the commands SSM still runs for
// our document, so that no host gets a second one after a restart.
func (p *passRun) recover(ctx context.Context) {
	if p.st.recovered {
		return
	}
	since := p.now.Add(-recoverLookback)
	cmds, err := remediate.Recover(ctx, p.api.SSM, p.spec.Remediation.DocumentName, since, p.now)
	if err != nil {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
		return
	}
	p.st.recovered = true
	p.st.track(cmds)
	if len(cmds) > 0 {
		hosts := 0
		for _, c := range cmds {
			hosts += len(c.InstanceIDs)
		}
		p.event(EventNormal, EventInFlightRecovered, "recovered", fmt.Sprintf("found %d SSM command(s) still running on %d host(s); no host gets a second one", len(cmds), hosts))
	}
}

// poll reads the commands in flight once and applies what ended.
func (p *passRun) poll(ctx context.Context) {
	if len(p.st.commands) == 0 {
		return
	}
	cmds := make([]remediate.Command, 0, len(p.st.commands))
	for _, c := range p.st.commands {
		cmds = append(cmds, *c)
	}
	res, err := remediate.Poll(ctx, p.api.SSM, cmds, p.now, p.e.deps.Parallelism)
	for _, o := range res.Outcomes {
		p.apply(o)
	}
	for _, id := range res.Finished {
		p.st.forgetCommand(id)
	}
	if err != nil && !allKind(err, awsapi.KindInvocationDoesNotExist, awsapi.KindNotFound) {
		p.failRemediation(err, v1alpha1.ReasonAWSError)
	}
}

// allKind reports whether every joined error is one of the given kinds
// (eventual consistency right after sending, not a failure).
func allKind(err error, kinds ...awsapi.Kind) bool {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		k := awsapi.Classify(e)
		ok := false
		for _, want := range kinds {
			ok = ok || k == want
		}
		if !ok {
			return false
		}
	}
	return true
}

// inventory lists the fleet again when it is due or the clusters changed.
func (p *passRun) inventory(ctx context.Context, hostsKnown func([]*inventory.Host)) error {
	key := fleetKey(p.spec)
	due := p.st.fleet == nil || key != p.st.fleetKey || p.now.Sub(p.st.inventoriedAt) >= p.spec.Intervals.Inventory.Duration
	if !due {
		return nil
	}
	c := inventory.Collector{ECS: p.api.ECS, SSM: p.api.SSM, TaskDefs: p.e.taskDefs, Tasks: p.st.tasks,
		Parallelism: p.e.deps.Parallelism, HostsKnown: hostsKnown}
	fleet, err := c.Collect(ctx, p.spec.Clusters)
	if err != nil {
		return err
	}
	p.inventoried = true
	p.st.fleet, p.st.fleetKey, p.st.inventoriedAt = fleet, key, p.now
	if len(fleet.Problems) == 0 {
		p.st.lastSync = p.now
	} else {
		p.event(EventWarning, EventInventoryIncomplete, "inventory", problemsMessage(fleet.Problems))
	}
	readable := false
	for _, cl := range fleet.Clusters {
		readable = readable || (cl.ARN != "" && !cl.Failed)
	}
	if !readable && anyRetryable(fleet.Problems) {
		p.inventoryErr = fmt.Errorf("reading inventory: %s", problemsMessage(fleet.Problems))
	}
	return nil
}

func anyRetryable(ps []inventory.Problem) bool {
	for _, pr := range ps {
		if pr.Reason != inventory.ReasonClusterNotFound {
			return true
		}
	}
	return false
}

func fleetKey(s v1alpha1.FleetPolicySpec) string {
	return fmt.Sprintf("%+v|%s", awsapi.SettingsFrom(s.AWS), strings.Join(s.Clusters, ","))
}

func problemsMessage(ps []inventory.Problem) string {
	parts := make([]string, 0, 3)
	for i, pr := range ps {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-3))
			break
		}
		where := pr.Cluster
		if where == "" {
			where = "fleet"
		}
		parts = append(parts, fmt.Sprintf("%s: %s (%d): %s", where, pr.Reason, pr.Count, pr.Message))
	}
	return strings.Join(parts, "; ")
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
