package ssmapi

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Run Command defaults (the limits are the model's, checked before any
// operation runs).
const (
	defaultTimeoutSeconds = 3600
	defaultMaxConcurrency = "50"
	defaultMaxErrors      = "0"
)

// command is one SendCommand and its invocations.
type command struct {
	id          string
	seq         int // its place in SendCommand order
	doc         *document
	version     *docVersion
	params      map[string][]string
	comment     string
	requested   time.Time
	timeout     time.Duration // delivery timeout (TimeoutSeconds)
	execTimeout time.Duration // the document's execution timeout
	maxConc     string
	maxErr      string
	concLimit   int
	errLimit    int
	invs        []*invocation
	byInstance  map[string]*invocation
	targets     []targetJSON

	// cursor is how far the command's schedule has been played.
	cursor      time.Time
	wakeAt      time.Time // the next event's time (zero: look every time)
	stopSending bool      // MaxErrors exceeded
	done        bool
	// onChange is told of every invocation status change (API.OnInvocation).
	onChange func(InvocationChange)
}

func (c *command) visibleAt(t Timing) time.Time { return c.requested.Add(t.Visibility) }

// expiresAfter is when the command expires: after its total timeout,
// the delivery timeout (TimeoutSeconds) plus the document's execution
// timeout, as SSM's "Understanding command timeout values" adds them.
func (c *command) expiresAfter() time.Time { return c.requested.Add(c.timeout + c.execTimeout) }

func (a *API) sendCommand(in *sendCommandInput) (any, error) {
	insts, targets, err := a.targetInstances(in)
	if err != nil {
		return nil, err
	}
	d := a.docs[documentNameOf(in.DocumentName)]
	if d == nil {
		return nil, wire.ClientErr(CodeInvalidDocument, "Document with name %s does not exist.", in.DocumentName)
	}
	v, err := d.version(in.DocumentVersion)
	if err != nil {
		return nil, err
	}
	if err := checkDocumentHash(v, in.DocumentHash, in.DocumentHashType); err != nil {
		return nil, err
	}
	timeout := int32(defaultTimeoutSeconds)
	if in.TimeoutSeconds != nil {
		timeout = *in.TimeoutSeconds
	}
	maxConc, maxErr := in.MaxConcurrency, in.MaxErrors
	if maxConc == "" {
		maxConc = defaultMaxConcurrency
	}
	if maxErr == "" {
		maxErr = defaultMaxErrors
	}
	params, err := checkParameters(v.parsed, in.Parameters)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	c := &command{
		id: a.commandID(), seq: len(a.order), doc: d, version: v, params: in.Parameters, comment: in.Comment,
		requested: now, cursor: now, timeout: time.Duration(timeout) * time.Second,
		execTimeout: executionTimeout(v.parsed, params),
		maxConc:     maxConc, maxErr: maxErr,
		concLimit: limit(maxConc, len(insts), true), errLimit: limit(maxErr, len(insts), false),
		onChange:   a.OnInvocation,
		byInstance: make(map[string]*invocation, len(insts)), targets: targets,
	}
	if c.params == nil {
		c.params = map[string][]string{}
	}
	for _, inst := range insts {
		inv := &invocation{cmd: c, index: len(c.invs), inst: inst, status: statusPending, details: detailPending, responseCode: -1}
		c.invs = append(c.invs, inv)
		c.byInstance[inst.EC2ID] = inv
	}
	a.commands[c.id] = c
	a.order = append(a.order, c)
	a.active = append(a.active, c)
	return sendCommandOutput{Command: a.renderCommand(c)}, nil
}

// documentNameOf takes a document's name from its name or ARN.
func documentNameOf(ref string) string {
	if _, name, ok := strings.Cut(ref, ":document/"); ok {
		return name
	}
	return ref
}

// targetInstances resolves InstanceIds or Targets to the instances the
// command runs on. InstanceIds must name managed instances in a valid
// state, each once; Targets select by instance ID, tag:<key> (one of the
// values) or tag-key (any of the keys), every target holding (a target
// key the fleet has no instances for, such as resource-groups:Name,
// selects none).
func (a *API) targetInstances(in *sendCommandInput) ([]*fleet.Instance, []targetJSON, error) {
	switch {
	case len(in.InstanceIDs) > 0 && len(in.Targets) > 0:
		return nil, nil, invalidRequest("Specify either InstanceIds or Targets, not both.")
	case len(in.InstanceIDs) == 0 && len(in.Targets) == 0:
		return nil, nil, invalidRequest("Specify InstanceIds or Targets.")
	case len(in.Targets) > 0:
		return a.selectTargets(in.Targets), in.Targets, nil
	}
	seen := make(map[string]bool, len(in.InstanceIDs))
	insts := make([]*fleet.Instance, 0, len(in.InstanceIDs))
	var bad []string
	for _, id := range in.InstanceIDs {
		if seen[id] {
			return nil, nil, wire.ClientErr(CodeDuplicateInstanceID, "Instance ID %s is given more than once.", id)
		}
		seen[id] = true
		inst := a.Fleet.ByEC2ID(id)
		if inst == nil || inst.Status == fleet.StatusInactive {
			bad = append(bad, id)
			continue
		}
		insts = append(insts, inst)
	}
	if len(bad) > 0 {
		return nil, nil, wire.ClientErr(CodeInvalidInstanceID, "Instances [[%s]] not in a valid state for account %s", strings.Join(bad, ", "), a.Fleet.AccountID)
	}
	return insts, []targetJSON{}, nil
}

func (a *API) selectTargets(targets []targetJSON) []*fleet.Instance {
	var out []*fleet.Instance
	for _, inst := range a.Fleet.ManagedInstances() {
		if inst.Status == fleet.StatusInactive {
			continue
		}
		if !slices.ContainsFunc(targets, func(t targetJSON) bool { return !targetSelects(t, inst) }) {
			out = append(out, inst)
		}
	}
	return out
}

func targetSelects(t targetJSON, inst *fleet.Instance) bool {
	switch {
	case t.Key == "InstanceIds":
		return slices.Contains(t.Values, inst.EC2ID)
	case t.Key == "tag-key":
		return slices.ContainsFunc(t.Values, func(k string) bool { _, ok := inst.Tag(k); return ok })
	case strings.HasPrefix(t.Key, "tag:"):
		v, ok := inst.Tag(strings.TrimPrefix(t.Key, "tag:"))
		return ok && slices.Contains(t.Values, v)
	}
	return false
}

// checkParameters validates the values as SSM does and returns every
// parameter's effective value (given or default).
func checkParameters(d *docContent, given map[string][]string) (map[string]string, error) {
	for name := range given {
		if _, ok := d.Parameters[name]; !ok {
			return nil, wire.ClientErr(CodeInvalidParameters, "Parameter %q is not defined in the document.", name)
		}
	}
	eff := make(map[string]string, len(d.Parameters))
	for name, p := range d.Parameters {
		vals, ok := given[name]
		if !ok {
			def, has := p.defaultValue()
			if !has {
				return nil, wire.ClientErr(CodeInvalidParameters, "Parameter %q is required.", name)
			}
			eff[name] = def
			continue
		}
		if p.Type == "String" && len(vals) != 1 {
			return nil, wire.ClientErr(CodeInvalidParameters, "Parameter %q takes one value.", name)
		}
		for _, val := range vals {
			if len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, val) {
				return nil, wire.ClientErr(CodeInvalidParameters, "Parameter %q: %q is not an allowed value.", name, val)
			}
			if p.pattern != nil && !p.pattern.MatchString(val) {
				return nil, wire.ClientErr(CodeInvalidParameters, "Parameter %q: %q does not match %s.", name, val, p.AllowedPattern)
			}
		}
		eff[name] = strings.Join(vals, "\n")
	}
	return eff, nil
}

// executionTimeout reads the first step's timeoutSeconds, resolving a
// {{ parameter }} reference; SSM's default is one hour.
func executionTimeout(d *docContent, params map[string]string) time.Duration {
	const fallback = time.Hour
	steps := d.steps()
	if len(steps) == 0 || len(steps[0].Inputs.TimeoutSeconds) == 0 {
		return fallback
	}
	raw := strings.Trim(string(steps[0].Inputs.TimeoutSeconds), `" `)
	if ref, ok := strings.CutPrefix(raw, "{{"); ok {
		raw = params[strings.TrimSpace(strings.TrimSuffix(ref, "}}"))]
	}
	secs, err := strconv.Atoi(raw)
	if err != nil || secs <= 0 {
		return fallback
	}
	return time.Duration(secs) * time.Second
}

// limit turns "10" or "10%" of n targets into a count; concurrency
// rounds up (at least one), errors round down.
func limit(spec string, n int, atLeastOne bool) int {
	if pct, ok := strings.CutSuffix(spec, "%"); ok {
		p, _ := strconv.Atoi(pct)
		v := float64(n) * float64(p) / 100
		if atLeastOne {
			return max(1, int(math.Ceil(v)))
		}
		return int(math.Floor(v))
	}
	v, _ := strconv.Atoi(spec)
	return v
}

func (a *API) cancelCommand(in *commandIDInput) (any, error) {
	c := a.commands[in.CommandID]
	if c == nil {
		return nil, wire.ClientErr(CodeInvalidCommandID, "Command ID %s is not valid.", in.CommandID)
	}
	targets := c.invs
	if len(in.InstanceIDs) > 0 {
		targets = targets[:0:0]
		seen := make(map[string]bool, len(in.InstanceIDs))
		for _, id := range in.InstanceIDs {
			if seen[id] {
				return nil, wire.ClientErr(CodeDuplicateInstanceID, "Instance ID %s is given more than once.", id)
			}
			seen[id] = true
			inv := c.byInstance[id]
			if inv == nil {
				return nil, wire.ClientErr(CodeInvalidInstanceID, "Instance %s is not a target of command %s.", id, in.CommandID)
			}
			targets = append(targets, inv)
		}
	}
	now := a.Now()
	for _, inv := range targets {
		if !inv.terminal() && inv.cancelAt.IsZero() {
			inv.cancelAt = now
		}
	}
	a.advance(c, now)
	return struct{}{}, nil
}
