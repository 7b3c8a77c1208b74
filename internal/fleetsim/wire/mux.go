package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// maxBodyBytes bounds a request body; the largest legitimate request
// (CreateDocument with a big document) stays far below it.
const maxBodyBytes = 8 << 20

// Op serves one operation: it decodes body (already checked against the
// operation's model, members exactly as AWS names them) and returns the
// answer to encode, or an error (an *Error to answer as AWS would).
type Op func(ctx context.Context, body []byte) (any, error)

// Interceptor runs around every call of a known operation.
type Interceptor interface {
	// Before may delay the call or answer it with an error instead.
	Before(ctx context.Context, c Call, svc *Service) error
	// After sees the outcome (nil or the error answered).
	After(c Call, err error)
}

type route struct {
	svc   *Service
	op    Op
	rules *apimodel.Rules
	// input is the operation's input shape ("" when it takes none).
	input string
	// inType is the Go type the body decodes into (nil for raw Ops).
	inType reflect.Type
}

// Mux routes POST / by X-Amz-Target to the registered operations and
// checks every request body against the operation's model before the
// operation sees it.
type Mux struct {
	routes       map[string]route
	services     map[string]*Service
	rules        apimodel.Set
	interceptor  Interceptor
	requestCount atomic.Uint64
}

// NewMux returns an empty Mux enforcing rules; interceptor may be nil.
func NewMux(interceptor Interceptor, rules apimodel.Set) *Mux {
	return &Mux{routes: map[string]route{}, services: map[string]*Service{}, rules: rules, interceptor: interceptor}
}

// Handle registers op as svc's operation name. An operation the rules do
// not cover is a bug (the rules would check nothing), so it panics: add
// it to apimodel.Served and run go generate.
func (m *Mux) Handle(svc *Service, name string, op Op) { m.handle(svc, name, op, nil) }

func (m *Mux) handle(svc *Service, name string, op Op, inType reflect.Type) {
	rules := m.rules[svc.Name]
	if rules == nil {
		panic(fmt.Sprintf("wire: no model rules for service %s", svc.Name))
	}
	input, ok := rules.Input(name)
	if !ok {
		panic(fmt.Sprintf("wire: the %s rules have no operation %s: add it to apimodel.Served and run go generate", svc.Name, name))
	}
	m.routes[svc.TargetPrefix+"."+name] = route{svc: svc, op: op, rules: rules, input: input, inType: inType}
	m.services[svc.TargetPrefix] = svc
}

// Route describes one registered operation, for tests that hold the
// handlers' Go types to the model.
type Route struct {
	Service    *Service
	Operation  string
	InputShape string
	InputType  reflect.Type
	Rules      *apimodel.Rules
}

// Routes lists the registered operations in target order.
func (m *Mux) Routes() []Route {
	out := make([]Route, 0, len(m.routes))
	for _, target := range slices.Sorted(maps.Keys(m.routes)) {
		rt := m.routes[target]
		_, op, _ := strings.Cut(target, ".")
		out = append(out, Route{Service: rt.svc, Operation: op, InputShape: rt.input, InputType: rt.inType, Rules: rt.rules})
	}
	return out
}

// ServeHTTP implements http.Handler.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := m.nextRequestID()
	target := r.Header.Get("X-Amz-Target")
	prefix, opName, _ := strings.Cut(target, ".")
	svc := m.services[prefix]
	if svc == nil {
		svc = frontDoor
	}
	rt, ok := m.routes[target]
	switch {
	case r.Method != http.MethodPost:
		writeError(w, reqID, svc, ClientErr(CodeUnknownOp, "only POST is supported"))
		return
	case target == "":
		// JSON services answer a missing target like an unknown one.
		writeError(w, reqID, svc, ClientErr(CodeUnknownOp, "the X-Amz-Target header is missing"))
		return
	case !ok:
		writeError(w, reqID, svc, ClientErr(CodeUnknownOp, "unknown operation %s", target))
		return
	}
	call := Call{Service: rt.svc.Name, Operation: opName}
	out, err := m.serve(r.WithContext(context.WithValue(r.Context(), hostKey{}, r.Host)), call, rt)
	if m.interceptor != nil {
		m.interceptor.After(call, err)
	}
	if err != nil {
		writeError(w, reqID, rt.svc, AsError(err))
		return
	}
	writeJSON(w, reqID, rt.svc, http.StatusOK, out)
}

func (m *Mux) serve(r *http.Request, call Call, rt route) (any, error) {
	// The body is read before any injected fault, as a real endpoint
	// does, so the connection stays usable for the next request.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return nil, ClientErr(CodeSerialization, "reading request body: %v", err)
	}
	if m.interceptor != nil {
		if err := m.interceptor.Before(r.Context(), call, rt.svc); err != nil {
			return nil, err
		}
	}
	body, err = rt.check(call.Operation, body)
	if err != nil {
		return nil, err
	}
	return rt.op(r.Context(), body)
}

// check holds body to the operation's model: a body that is not JSON of
// the input's types is a SerializationException, one that breaks a
// constraint is answered as the service answers it. Members the model
// does not name (exactly) are ignored, as AWS does; they are dropped
// from the body so that no case-insensitive decoding can pick them up.
func (rt route) check(op string, body []byte) ([]byte, error) {
	if rt.input == "" {
		return body, nil
	}
	tree, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	violations, dropped := rt.rules.Check(rt.input, tree, apimodel.Request)
	for _, v := range violations {
		if v.Kind == apimodel.KindType {
			return nil, ClientErr(CodeSerialization, "cannot read %s: %s (found %s)", orBody(v.Path), v.Want, jsonKind(v.Value))
		}
	}
	if len(violations) > 0 {
		return nil, rt.svc.Reject(op, violations)
	}
	if dropped {
		if body, err = json.Marshal(tree); err != nil {
			return nil, fmt.Errorf("re-encoding the request body: %w", err)
		}
	}
	return body, nil
}

// parseBody decodes a request body, numbers kept as written; an empty
// body is an empty object, as the SDKs send for operations without input.
func parseBody(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, ClientErr(CodeSerialization, "cannot parse request body: %v", err)
	}
	if dec.More() {
		return nil, ClientErr(CodeSerialization, "cannot parse request body: data after the JSON object")
	}
	return tree, nil
}

func orBody(path string) string {
	if path == "" {
		return "the request body"
	}
	return "'" + path + "'"
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	default:
		return "an object"
	}
}

func (m *Mux) nextRequestID() string {
	n := m.requestCount.Add(1)
	return fmt.Sprintf("5e1f0000-0000-4000-8000-%012x", n)
}

func writeError(w http.ResponseWriter, reqID string, svc *Service, e *Error) {
	w.Header().Set("X-Amzn-ErrorType", e.Code+":http://internal.amazon.com/coral/"+svc.Namespace+"/")
	if svc.QueryErrors != nil {
		code, fault := e.Code, "Sender"
		if q, ok := svc.QueryErrors[code]; ok {
			code = q
		}
		if e.Status >= http.StatusInternalServerError {
			fault = "Receiver"
		}
		w.Header().Set("X-Amzn-Query-Error", code+";"+fault)
	}
	writeJSON(w, reqID, svc, e.Status, map[string]string{
		"__type":         svc.Namespace + "#" + e.Code,
		svc.MessageField: e.Message,
	})
}

// buffers recycles response buffers: a pass over a large fleet encodes
// thousands of answers of up to a few hundred kilobytes.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one outsized answer from pinning its memory.
const maxPooledBuffer = 1 << 20

func writeJSON(w http.ResponseWriter, reqID string, svc *Service, status int, v any) {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			buffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		fmt.Fprintf(buf, `{"__type":"InternalFailure","message":%q}`, err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", svc.ContentType())
	h.Set("X-Amzn-RequestId", reqID)
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type hostKey struct{}

// RequestHost is the Host the request being served was sent to (how the
// client reached the simulator), for answers that name an endpoint, such
// as an SQS queue URL; "" outside a request.
func RequestHost(ctx context.Context) string {
	h, _ := ctx.Value(hostKey{}).(string)
	return h
}

// Decode reads a checked request body into v. The Mux has already
// dropped every member the model does not name exactly, so the
// case-insensitive matching of encoding/json cannot accept a member AWS
// would ignore.
func Decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return ClientErr(CodeSerialization, "cannot parse request body: %v", err)
	}
	return nil
}

// Typed adapts a function taking a decoded request to an Op.
func Typed[In any](fn func(ctx context.Context, in *In) (any, error)) Op {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := Decode(body, in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}
