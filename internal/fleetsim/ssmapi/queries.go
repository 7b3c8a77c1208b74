package ssmapi

import (
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

func (a *API) renderCommand(c *command) commandJSON {
	status, details := c.status()
	out := commandJSON{
		CommandID: c.id, DocumentName: c.doc.name, DocumentVersion: c.version.label(), Comment: c.comment,
		ExpiresAfter: wire.EpochOf(c.requested.Add(commandTTL)), Parameters: c.params,
		InstanceIDs: make([]string, 0, len(c.invs)), Targets: c.targets,
		RequestedDateTime: wire.EpochOf(c.requested), Status: status, StatusDetails: details,
		MaxConcurrency: c.maxConc, MaxErrors: c.maxErr, TargetCount: len(c.invs),
		TimeoutSeconds: int32(c.timeout / time.Second),
	}
	if len(c.targets) == 0 {
		for _, inv := range c.invs {
			out.InstanceIDs = append(out.InstanceIDs, inv.inst.EC2ID)
		}
	}
	for _, inv := range c.invs {
		if inv.terminal() {
			out.CompletedCount++
		}
		switch inv.details {
		case detailFailed, detailExecTimedOut:
			out.ErrorCount++
		case detailDeliveryTimedOut:
			out.DeliveryTimedOutCount++
		}
	}
	return out
}

func (a *API) getCommandInvocation(in *getCommandInvocationInput) (any, error) {
	if in.CommandID == "" {
		return nil, validation("commandId", "Member must not be null", nil)
	}
	if in.InstanceID == "" {
		return nil, validation("instanceId", "Member must not be null", nil)
	}
	c := a.commands[in.CommandID]
	var inv *invocation
	if c != nil && !a.Now().Before(c.visibleAt(a.Timing)) {
		inv = c.byInstance[in.InstanceID]
	}
	if inv == nil {
		return nil, wire.ClientErr(CodeInvocationDoesNotExist, "An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation")
	}
	step := c.stepName()
	if in.PluginName != "" && in.PluginName != step {
		return nil, wire.ClientErr(CodeInvalidPluginName, "Plugin %s is not in the document.", in.PluginName)
	}
	out := getCommandInvocationOutput{
		CommandID: c.id, InstanceID: inv.inst.EC2ID, Comment: c.comment, DocumentName: c.doc.name,
		DocumentVersion: c.version.label(), PluginName: step, ResponseCode: inv.responseCode,
		Status: inv.status, StatusDetails: inv.details,
	}
	if !inv.started.IsZero() {
		out.ExecutionStartDateTime = isoTime(inv.started)
		end := a.Now()
		if inv.terminal() {
			end = inv.ended
			out.ExecutionEndDateTime = isoTime(inv.ended)
		}
		out.ExecutionElapsedTime = fmt.Sprintf("PT%.3fS", end.Sub(inv.started).Seconds())
	}
	if inv.terminal() {
		out.StandardOutputContent, out.StandardErrorContent = inv.stdout, inv.stderr
	}
	return out, nil
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (c *command) stepName() string {
	if steps := c.version.parsed.steps(); len(steps) > 0 {
		return steps[0].Name
	}
	return ""
}

// commandFilter compiles ListCommands/ListCommandInvocations filters.
func commandFilter(filters []listFilter) (func(c *command, status string) bool, error) {
	type check func(c *command, status string) bool
	var checks []check
	for _, f := range filters {
		v := f.Value
		switch f.Key {
		case "InvokedAfter", "InvokedBefore":
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, wire.ClientErr(CodeInvalidFilter, "Filter %s needs an ISO 8601 time, not %q.", f.Key, v)
			}
			after := f.Key == "InvokedAfter"
			checks = append(checks, func(c *command, _ string) bool { return c.requested.After(t) == after })
		case "Status":
			checks = append(checks, func(_ *command, status string) bool { return status == v })
		case "DocumentName":
			checks = append(checks, func(c *command, _ string) bool { return c.doc.name == v })
		case "ExecutionStage":
			if v != "Executing" && v != "Complete" {
				return nil, wire.ClientErr(CodeInvalidFilter, "ExecutionStage is Executing or Complete, not %q.", v)
			}
			checks = append(checks, func(c *command, _ string) bool { return c.done == (v == "Complete") })
		default:
			return nil, wire.ClientErr(CodeInvalidFilterKey, "Filter key %s is not valid.", f.Key)
		}
	}
	return func(c *command, status string) bool {
		for _, ch := range checks {
			if !ch(c, status) {
				return false
			}
		}
		return true
	}, nil
}

// commandsNewestFirst lists the commands a List call looks at.
func (a *API) commandsNewestFirst(commandID, instanceID string) ([]*command, error) {
	if commandID != "" {
		c := a.commands[commandID]
		if c == nil {
			return nil, wire.ClientErr(CodeInvalidCommandID, "Command ID %s is not valid.", commandID)
		}
		return []*command{c}, nil
	}
	out := make([]*command, 0, len(a.order))
	for k := len(a.order) - 1; k >= 0; k-- {
		c := a.order[k]
		if instanceID == "" || c.byInstance[instanceID] != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// listQuery is what ListCommands and ListCommandInvocations share: the
// page size, the filters, the commands in scope and where to start.
type listQuery struct {
	size  int
	keep  func(*command, string) bool
	cmds  []*command
	pos   int
	scope string
}

func (a *API) prepareList(kind string, in *listInput) (*listQuery, error) {
	size, err := pageSize(in.MaxResults, "maxResults", 1, 50, 50)
	if err != nil {
		return nil, err
	}
	keep, err := commandFilter(in.Filters)
	if err != nil {
		return nil, err
	}
	cmds, err := a.commandsNewestFirst(in.CommandID, in.InstanceID)
	if err != nil {
		return nil, err
	}
	scope := fmt.Sprintf("%s|%s|%s|%v|%v", kind, in.CommandID, in.InstanceID, in.Filters, in.Details)
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	return &listQuery{size: size, keep: keep, cmds: cmds, pos: pos, scope: scope}, nil
}

func (a *API) listCommands(in *listInput) (any, error) {
	q, err := a.prepareList("commands", in)
	if err != nil {
		return nil, err
	}
	cmds, next := wire.Page(q.pos, len(q.cmds), q.size, func(k int) (*command, bool) {
		status, _ := q.cmds[k].status()
		return q.cmds[k], q.keep(q.cmds[k], status)
	})
	out := listCommandsOutput{Commands: make([]commandJSON, 0, len(cmds))}
	for _, c := range cmds {
		out.Commands = append(out.Commands, a.renderCommand(c))
	}
	out.NextToken = pageToken(next, q.scope)
	return out, nil
}

func (a *API) listCommandInvocations(in *listInput) (any, error) {
	q, err := a.prepareList("invocations", in)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	var invs []*invocation
	for _, c := range q.cmds {
		if now.Before(c.visibleAt(a.Timing)) {
			continue
		}
		for _, inv := range c.invs {
			if (in.InstanceID == "" || inv.inst.EC2ID == in.InstanceID) && q.keep(c, inv.status) {
				invs = append(invs, inv)
			}
		}
	}
	page, next := wire.Page(q.pos, len(invs), q.size, func(k int) (*invocation, bool) { return invs[k], true })
	out := listCommandInvocationsOutput{CommandInvocations: make([]invocationJSON, 0, len(page))}
	for _, inv := range page {
		out.CommandInvocations = append(out.CommandInvocations, renderInvocation(inv, in.Details))
	}
	out.NextToken = pageToken(next, q.scope)
	return out, nil
}

func renderInvocation(inv *invocation, details bool) invocationJSON {
	c := inv.cmd
	out := invocationJSON{
		CommandID: c.id, InstanceID: inv.inst.EC2ID, Comment: c.comment, DocumentName: c.doc.name,
		DocumentVersion: c.version.label(), RequestedDateTime: wire.EpochOf(c.requested),
		Status: inv.status, StatusDetails: inv.details, CommandPlugins: []pluginJSON{},
	}
	if details {
		p := pluginJSON{
			Name: c.stepName(), Status: inv.status, StatusDetails: inv.details, ResponseCode: inv.responseCode,
			ResponseStartDateTime: wire.EpochOf(inv.started),
		}
		if inv.terminal() {
			p.ResponseFinishDateTime = wire.EpochOf(inv.ended)
			p.Output = pluginOutput(inv)
		}
		out.CommandPlugins = append(out.CommandPlugins, p)
	}
	return out
}
