// Package ssmapi serves the SSM operations ecswin uses: managed-instance
// information, Command documents, and Run Command with its real
// lifecycle, running route-bootstrap on the simulated hosts.
package ssmapi

import (
	"fmt"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Timing says how fast commands move. The defaults keep a demo brisk and
// let a fake clock step through every state.
type Timing struct {
	// Visibility: GetCommandInvocation answers InvocationDoesNotExist
	// for this long after SendCommand (SSM's eventual consistency).
	Visibility time.Duration
	// Delivery: an invocation stays Pending this long before the agent
	// picks it up.
	Delivery time.Duration
	// Execution: a command runs this long before it ends.
	Execution time.Duration
}

// Default timings.
const (
	DefaultVisibility = 500 * time.Millisecond
	DefaultDelivery   = time.Second
	DefaultExecution  = 2 * time.Second
)

func (t Timing) withDefaults() Timing {
	if t.Visibility <= 0 {
		t.Visibility = DefaultVisibility
	}
	if t.Delivery <= 0 {
		t.Delivery = DefaultDelivery
	}
	if t.Execution <= 0 {
		t.Execution = DefaultExecution
	}
	return t
}

// API is the SSM service of one simulated fleet.
type API struct {
	Fleet *fleet.Fleet
	// Guard brackets every operation (see ecsapi.API.Guard).
	Guard wire.Guard
	Now   func() time.Time
	// Timing may be changed between calls.
	Timing Timing
	// OnInvocation, when set, is told of every invocation's status
	// change at its time, for the EventBridge events Run Command sends.
	OnInvocation func(InvocationChange)

	docs     map[string]*document
	commands map[string]*command
	order    []*command // SendCommand order
	active   []*command // not yet terminal
	ids      uint64
	seed     uint64
}

// New returns the SSM service with the AWS-managed shell documents in place.
func New(f *fleet.Fleet, now func() time.Time, timing Timing, seed uint64) *API {
	a := &API{
		Fleet: f, Now: now, Timing: timing.withDefaults(), seed: seed,
		docs: map[string]*document{}, commands: map[string]*command{},
	}
	a.addManagedDocuments()
	return a
}

// Register adds every SSM operation to m.
func (a *API) Register(m *wire.Mux) {
	read(m, a, "DescribeInstanceInformation", a.describeInstanceInformation)
	handle(m, a, "CreateDocument", a.createDocument)
	read(m, a, "GetDocument", a.getDocument)
	read(m, a, "DescribeDocument", a.describeDocument)
	handle(m, a, "UpdateDocument", a.updateDocument)
	handle(m, a, "UpdateDocumentDefaultVersion", a.updateDocumentDefaultVersion)
	handle(m, a, "SendCommand", a.sendCommand)
	read(m, a, "GetCommandInvocation", a.getCommandInvocation)
	read(m, a, "ListCommandInvocations", a.listCommandInvocations)
	read(m, a, "ListCommands", a.listCommands)
	handle(m, a, "CancelCommand", a.cancelCommand)
	handle(m, a, "AddTagsToResource", a.addTagsToResource)
	handle(m, a, "DeleteDocument", a.deleteDocument)
	read(m, a, "ListTagsForResource", a.listTagsForResource)
}

func handle[In any](m *wire.Mux, a *API, name string, fn func(*In) (any, error)) {
	wire.HandleGuarded(m, wire.SSM, name, a.Guard, false, fn)
}

// read registers an operation that changes nothing.
func read[In any](m *wire.Mux, a *API, name string, fn func(*In) (any, error)) {
	wire.HandleGuarded(m, wire.SSM, name, a.Guard, true, fn)
}

// SSM error codes for commands and instances.
const (
	CodeInvalidInstanceID       = "InvalidInstanceId"
	CodeDuplicateInstanceID     = "DuplicateInstanceId"
	CodeInvocationDoesNotExist  = "InvocationDoesNotExist"
	CodeInvalidCommandID        = "InvalidCommandId"
	CodeInvalidParameters       = "InvalidParameters"
	CodeInvalidNextToken        = "InvalidNextToken"
	CodeInvalidPluginName       = "InvalidPluginName"
	CodeInvalidFilterKey        = "InvalidFilterKey"
	CodeInvalidInstanceInfoFilt = "InvalidInstanceInformationFilterValue"
)

// invalidRequest answers what the model allows but SSM refuses without
// a code of its own (both InstanceIds and Targets, a filter value that
// is no date), as ValidationException, as SSM does.
func invalidRequest(format string, args ...any) error {
	return wire.ClientErr(wire.CodeValidation, format, args...)
}

// pageSize is MaxResults, or def when it is absent (the model's bounds
// are checked before any operation runs).
func pageSize(maxResults *int32, def int) int {
	if maxResults == nil {
		return def
	}
	return int(*maxResults)
}

func startAt(token, scope string) (int, error) {
	pos, ok := wire.ParsePageToken(token, scope)
	if !ok {
		return 0, wire.ClientErr(CodeInvalidNextToken, "The specified token is not valid.")
	}
	return pos, nil
}

// pageToken is the token for position next, or none when next is -1
// (see wire.Page).
func pageToken(next int, scope string) string {
	if next < 0 {
		return ""
	}
	return wire.PageToken(scope, next)
}

// commandID makes a reproducible UUID-shaped command ID.
func (a *API) commandID() string {
	a.ids++
	z := a.seed + a.ids*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	y := z*0xd6e8feb86659fd93 + a.ids
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(z>>32), uint16(z>>16), uint16(z)&0xfff, 0x8000|uint16(y>>48)&0x3fff, y&0xffffffffffff)
}
