package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// ContentType is the media type of JSON 1.1 requests and answers.
const ContentType = "application/x-amz-json-1.1"

// maxBodyBytes bounds a request body; the largest legitimate request
// (CreateDocument with a big document) stays far below it.
const maxBodyBytes = 8 << 20

// Op serves one operation: it decodes body and returns the answer to
// encode, or an error (an *Error to answer as AWS would).
type Op func(ctx context.Context, body []byte) (any, error)

// Interceptor runs around every call of a known operation.
type Interceptor interface {
	// Before may delay the call or answer it with an error instead.
	Before(ctx context.Context, c Call, svc *Service) error
	// After sees the outcome (nil or the error answered).
	After(c Call, err error)
}

type route struct {
	svc *Service
	op  Op
}

// Mux routes POST / by X-Amz-Target to the registered operations.
type Mux struct {
	routes       map[string]route
	services     map[string]*Service
	interceptor  Interceptor
	requestCount atomic.Uint64
}

// NewMux returns an empty Mux; interceptor may be nil.
func NewMux(interceptor Interceptor) *Mux {
	return &Mux{routes: map[string]route{}, services: map[string]*Service{}, interceptor: interceptor}
}

// Handle registers op as svc's operation name.
func (m *Mux) Handle(svc *Service, name string, op Op) {
	m.routes[svc.TargetPrefix+"."+name] = route{svc: svc, op: op}
	m.services[svc.TargetPrefix] = svc
}

// ServeHTTP implements http.Handler.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := m.nextRequestID()
	target := r.Header.Get("X-Amz-Target")
	prefix, opName, _ := strings.Cut(target, ".")
	svc := m.services[prefix]
	if svc == nil {
		svc = ECS
	}
	if r.Method != http.MethodPost {
		writeError(w, reqID, svc, ClientErr(CodeUnknownOp, "only POST is supported"))
		return
	}
	rt, ok := m.routes[target]
	if !ok {
		if target == "" {
			writeError(w, reqID, svc, ClientErr(CodeMissingAction, "missing X-Amz-Target header"))
			return
		}
		writeError(w, reqID, svc, ClientErr(CodeUnknownOp, "unknown operation %s", target))
		return
	}
	call := Call{Service: rt.svc.Name, Operation: opName}
	out, err := m.serve(r, call, rt)
	if m.interceptor != nil {
		m.interceptor.After(call, err)
	}
	if err != nil {
		writeError(w, reqID, rt.svc, AsError(err))
		return
	}
	writeJSON(w, reqID, http.StatusOK, out)
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
	return rt.op(r.Context(), body)
}

func (m *Mux) nextRequestID() string {
	n := m.requestCount.Add(1)
	return fmt.Sprintf("5e1f0000-0000-4000-8000-%012x", n)
}

func writeError(w http.ResponseWriter, reqID string, svc *Service, e *Error) {
	w.Header().Set("X-Amzn-ErrorType", e.Code+":http://internal.amazon.com/coral/"+svc.Namespace+"/")
	writeJSON(w, reqID, e.Status, map[string]string{
		"__type":         svc.Namespace + "#" + e.Code,
		svc.MessageField: e.Message,
	})
}

// buffers recycles response buffers: a pass over a large fleet encodes
// thousands of answers of up to a few hundred kilobytes.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one outsized answer from pinning its memory.
const maxPooledBuffer = 1 << 20

func writeJSON(w http.ResponseWriter, reqID string, status int, v any) {
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
	h.Set("Content-Type", ContentType)
	h.Set("X-Amzn-RequestId", reqID)
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Decode reads a JSON request body into v; an empty body is an empty
// object, as the SDKs send for operations without input.
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
