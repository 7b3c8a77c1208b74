package ssmapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Status filter values ListCommands and ListCommandInvocations take: a
// Status, or a StatusDetails without its spaces ("ExecutionTimedOut" is
// "Execution Timed Out"), as the API reference lists them.
var (
	commandStatusValues = []string{"Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut",
		"AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Incomplete", "NoInstancesInTag", "LimitExceeded"}
	invocationStatusValues = []string{"Pending", "InProgress", "Delayed", "Success", "Cancelled", "Failed", "TimedOut",
		"AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Undeliverable", "InvalidPlatform", "Terminated"}
)

// keepFunc tells whether a command, in a state (its own, or that of one
// of its invocations), passes the filters.
type keepFunc func(c *command, status, details string) bool

// commandFilter compiles the filters of ListCommands (invocations false)
// or ListCommandInvocations (true). Keys are the model's enum; values
// are checked here.
func commandFilter(filters []listFilter, invocations bool) (keepFunc, error) {
	var checks []keepFunc
	for _, f := range filters {
		check, err := filterCheck(f, invocations)
		if err != nil {
			return nil, err
		}
		checks = append(checks, check)
	}
	return func(c *command, status, details string) bool {
		for _, ch := range checks {
			if !ch(c, status, details) {
				return false
			}
		}
		return true
	}, nil
}

func filterCheck(f listFilter, invocations bool) (keepFunc, error) {
	v := f.Value
	switch f.Key {
	case "InvokedAfter", "InvokedBefore":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, invalidRequest("The %s filter takes a time such as 2024-07-07T00:00:00Z, not %q.", f.Key, v)
		}
		after := f.Key == "InvokedAfter"
		return func(c *command, _, _ string) bool { return c.requested.After(t) == after }, nil
	case "Status":
		values := commandStatusValues
		if invocations {
			values = invocationStatusValues
		}
		if !slices.Contains(values, v) {
			return nil, invalidRequest("The Status filter takes one of %s, not %q.", strings.Join(values, ", "), v)
		}
		return func(_ *command, status, details string) bool {
			return status == v || strings.ReplaceAll(details, " ", "") == v
		}, nil
	case "DocumentName":
		return func(c *command, _, _ string) bool { return c.doc.name == v }, nil
	case "ExecutionStage":
		if invocations {
			return nil, wire.ClientErr(CodeInvalidFilterKey, "The ExecutionStage filter is for ListCommands only.")
		}
		if v != "Executing" && v != "Complete" {
			return nil, invalidRequest("The ExecutionStage filter takes Executing or Complete, not %q.", v)
		}
		return func(c *command, _, _ string) bool { return c.done == (v == "Complete") }, nil
	}
	return nil, wire.ClientErr(CodeInvalidFilterKey, "Filter key %s is not valid.", f.Key)
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
// page size, the filters, the commands in scope (newest first) and the
// page token's key.
type listQuery struct {
	size  int
	keep  keepFunc
	cmds  []*command
	after listPos // where the page starts; zero for the first page
	scope string
}

// listPos is an item's place in a listing, newest command first, then
// the command's invocations in target order. Page tokens carry it, so a
// command sent between two pages (it sorts before both) neither repeats
// an entry nor pushes one off the next page.
type listPos struct {
	seq, inv int
	set      bool
}

// before tells whether p comes before q in a listing.
func (p listPos) before(q listPos) bool {
	return p.seq > q.seq || (p.seq == q.seq && p.inv < q.inv)
}

func (p listPos) key() string { return strconv.Itoa(p.seq) + "." + strconv.Itoa(p.inv) }

func parsePos(key string) (listPos, bool) {
	s, i, ok := strings.Cut(key, ".")
	seq, err1 := strconv.Atoi(s)
	inv, err2 := strconv.Atoi(i)
	if !ok || err1 != nil || err2 != nil || seq < 0 || inv < 0 {
		return listPos{}, false
	}
	return listPos{seq: seq, inv: inv, set: true}, true
}

func (a *API) prepareList(kind string, in *listInput, details bool) (*listQuery, error) {
	keep, err := commandFilter(in.Filters, kind == "invocations")
	if err != nil {
		return nil, err
	}
	cmds, err := a.commandsNewestFirst(in.CommandID, in.InstanceID)
	if err != nil {
		return nil, err
	}
	scope := fmt.Sprintf("%s|%s|%s|%v|%v", kind, in.CommandID, in.InstanceID, in.Filters, details)
	key, ok := wire.ParseKeyToken(in.NextToken, scope)
	var after listPos
	if ok && key != "" {
		after, ok = parsePos(key)
	}
	if !ok {
		return nil, wire.ClientErr(CodeInvalidNextToken, "The specified token is not valid.")
	}
	return &listQuery{size: pageSize(in.MaxResults, defaultListPage), keep: keep, cmds: cmds, after: after, scope: scope}, nil
}

// defaultListPage is ListCommands' and ListCommandInvocations' page
// size when MaxResults is absent (the model's maximum, 50).
const defaultListPage = 50

// page collects up to q.size items at or after q.after, and the token
// for the rest.
func page[T any](q *listQuery, items []T, pos func(T) listPos) ([]T, string) {
	start := 0
	if q.after.set {
		start, _ = slices.BinarySearchFunc(items, q.after, func(it T, p listPos) int {
			switch at := pos(it); {
			case at.before(p):
				return -1
			case at == p:
				return 0
			}
			return 1
		})
	}
	got, next := wire.Page(start, len(items), q.size, func(k int) (T, bool) { return items[k], true })
	if next < 0 {
		return got, ""
	}
	return got, wire.KeyToken(q.scope, pos(items[next]).key())
}

func (a *API) listCommands(in *listInput) (any, error) {
	q, err := a.prepareList("commands", in, false)
	if err != nil {
		return nil, err
	}
	var kept []*command
	for _, c := range q.cmds {
		if status, details := c.status(); q.keep(c, status, details) {
			kept = append(kept, c)
		}
	}
	cmds, next := page(q, kept, func(c *command) listPos { return listPos{seq: c.seq, set: true} })
	out := listCommandsOutput{Commands: make([]commandJSON, 0, len(cmds)), NextToken: next}
	for _, c := range cmds {
		out.Commands = append(out.Commands, a.renderCommand(c))
	}
	return out, nil
}

func (a *API) listCommandInvocations(in *listInvocationsInput) (any, error) {
	q, err := a.prepareList("invocations", &in.listInput, in.Details)
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
			if (in.InstanceID == "" || inv.inst.EC2ID == in.InstanceID) && q.keep(c, inv.status, inv.details) {
				invs = append(invs, inv)
			}
		}
	}
	got, next := page(q, invs, func(inv *invocation) listPos { return listPos{seq: inv.cmd.seq, inv: inv.index, set: true} })
	out := listCommandInvocationsOutput{CommandInvocations: make([]invocationJSON, 0, len(got)), NextToken: next}
	for _, inv := range got {
		out.CommandInvocations = append(out.CommandInvocations, renderInvocation(inv, in.Details))
	}
	return out, nil
}
