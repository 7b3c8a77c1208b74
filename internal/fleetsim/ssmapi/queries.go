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
		ExpiresAfter: wire.EpochOf(c.expiresAfter()), Parameters: c.params,
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
