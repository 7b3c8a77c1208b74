package ssmapi

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Run Command limits.
const (
	maxInstancesPerCommand = 50
	defaultTimeoutSeconds  = 3600
	minTimeoutSeconds      = 30
	maxTimeoutSeconds      = 2592000
	defaultMaxConcurrency  = "50"
	defaultMaxErrors       = "0"
	// commandTTL is how long SSM keeps a command before it expires.
	commandTTL = 30 * 24 * time.Hour
)

var (
	maxConcurrencyPattern = regexp.MustCompile(`^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$`)
	maxErrorsPattern      = regexp.MustCompile(`^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$`)
	instanceIDPattern     = regexp.MustCompile(`^(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)$`)
)

// command is one SendCommand and its invocations.
type command struct {
	id          string
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
}

func (c *command) visibleAt(t Timing) time.Time { return c.requested.Add(t.Visibility) }

func (a *API) sendCommand(in *sendCommandInput) (any, error) {
	if in.DocumentName == "" {
		return nil, validation("documentName", "Member must not be null", nil)
	}
	ids, targets, err := targetIDs(in)
	if err != nil {
		return nil, err
	}
	d := a.docs[in.DocumentName]
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
		if timeout < minTimeoutSeconds || timeout > maxTimeoutSeconds {
			return nil, validation("timeoutSeconds", fmt.Sprintf("Member must have value between %d and %d", minTimeoutSeconds, maxTimeoutSeconds), timeout)
		}
	}
	maxConc, maxErr := in.MaxConcurrency, in.MaxErrors
	if maxConc == "" {
		maxConc = defaultMaxConcurrency
	}
	if maxErr == "" {
		maxErr = defaultMaxErrors
	}
	if !maxConcurrencyPattern.MatchString(maxConc) {
		return nil, validation("maxConcurrency", "Member must satisfy regular expression pattern: "+maxConcurrencyPattern.String(), maxConc)
	}
	if !maxErrorsPattern.MatchString(maxErr) {
		return nil, validation("maxErrors", "Member must satisfy regular expression pattern: "+maxErrorsPattern.String(), maxErr)
	}
	insts := make([]*fleet.Instance, 0, len(ids))
	var bad []string
	for _, id := range ids {
		inst := a.Fleet.ByEC2ID(id)
		if inst == nil || inst.Status == fleet.StatusInactive {
			bad = append(bad, id)
			continue
		}
		insts = append(insts, inst)
	}
	if len(bad) > 0 {
		return nil, wire.ClientErr(CodeInvalidInstanceID, "Instances [[%s]] not in a valid state for account %s", strings.Join(bad, ", "), a.Fleet.AccountID)
	}
	params, err := checkParameters(v.parsed, in.Parameters)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	c := &command{
		id: a.commandID(), doc: d, version: v, params: in.Parameters, comment: in.Comment,
		requested: now, cursor: now, timeout: time.Duration(timeout) * time.Second,
		execTimeout: executionTimeout(v.parsed, params),
		maxConc:     maxConc, maxErr: maxErr,
		concLimit: limit(maxConc, len(insts), true), errLimit: limit(maxErr, len(insts), false),
		byInstance: make(map[string]*invocation, len(insts)), targets: targets,
	}
	if c.params == nil {
		c.params = map[string][]string{}
	}
	for _, inst := range insts {
		inv := &invocation{cmd: c, inst: inst, status: statusPending, details: detailPending, responseCode: -1}
		c.invs = append(c.invs, inv)
		c.byInstance[inst.EC2ID] = inv
	}
	a.commands[c.id] = c
	a.order = append(a.order, c)
	a.active = append(a.active, c)
	return sendCommandOutput{Command: a.renderCommand(c)}, nil
}

func targetIDs(in *sendCommandInput) ([]string, []targetJSON, error) {
	ids := in.InstanceIDs
	targets := in.Targets
	switch {
	case len(ids) > 0 && len(targets) > 0:
		return nil, nil, wire.ClientErr(CodeInvalidParameters, "Specify either InstanceIds or Targets, not both.")
	case len(targets) > 0:
		for _, t := range targets {
			if t.Key != "InstanceIds" {
				return nil, nil, wire.ClientErr(CodeInvalidTarget, "The simulator supports only the InstanceIds target key, not %s.", t.Key)
			}
			ids = append(ids, t.Values...)
		}
	case len(ids) == 0:
		return nil, nil, wire.ClientErr(CodeInvalidParameters, "Specify InstanceIds or Targets.")
	default:
		targets = []targetJSON{}
	}
	if len(ids) > maxInstancesPerCommand {
		return nil, nil, validation("instanceIds", fmt.Sprintf("Member must have length less than or equal to %d", maxInstancesPerCommand), len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !instanceIDPattern.MatchString(id) {
			return nil, nil, wire.ClientErr(CodeInvalidInstanceID, "Instance ID %s is not valid.", id)
		}
		if seen[id] {
			return nil, nil, wire.ClientErr(CodeInvalidParameters, "Duplicate instance ID %s.", id)
		}
		seen[id] = true
	}
	return ids, targets, nil
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
		for _, id := range in.InstanceIDs {
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
