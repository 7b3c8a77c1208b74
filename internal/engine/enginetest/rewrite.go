package enginetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Rewrite changes one decoded JSON answer of the simulator in place.
type Rewrite func(operation string, body map[string]any)

// Fail decides whether a call of operation is answered with the AWS
// error code instead of reaching the simulator.
type Fail func(operation string) (code string, fail bool)

// FailTimes fails the first n calls of operation with code.
func FailTimes(operation, code string, n int) Fail {
	var mu sync.Mutex
	return func(op string) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		if op != operation || n == 0 {
			return "", false
		}
		n--
		return code, true
	}
}

// ServeRewritten serves the simulator behind a wire-level rewriter of its
// successful answers and returns the URL to use instead of e.URL: the
// SDK still parses every byte, nothing is mocked at the Go level.
func (e *Env) ServeRewritten(tb testing.TB, rw Rewrite) string {
	tb.Helper()
	return e.ServeFaulty(tb, rw, nil)
}

// ServeFaulty is ServeRewritten that also answers some calls with an AWS
// error as the JSON 1.1 protocol carries it (HTTP 400, __type).
func (e *Env) ServeFaulty(tb testing.TB, rw Rewrite, fail Fail) string {
	tb.Helper()
	inner := e.Sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		if fail != nil {
			if code, ok := fail(op); ok {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("X-Amzn-ErrorType", code)
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"__type":"` + code + `","Message":"injected by the test"}`))
				return
			}
		}
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK && rw != nil {
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err == nil {
				rw(op, doc)
				if out, err := json.Marshal(doc); err == nil {
					body = out
				}
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = bytes.NewReader(body).WriteTo(w)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

// ReplaceOutputs makes the given instances' command output read as out,
// in ListCommandInvocations (cut at 2,500 characters, as SSM does with
// Details) and GetCommandInvocation (cut at 24,000).
func ReplaceOutputs(outputs map[string]string) Rewrite {
	return func(op string, body map[string]any) {
		switch op {
		case "ListCommandInvocations":
			invs, _ := body["CommandInvocations"].([]any)
			for _, x := range invs {
				inv, _ := x.(map[string]any)
				out, ok := outputs[str(inv["InstanceId"])]
				if !ok || !terminal(str(inv["Status"])) {
					continue
				}
				plugins, _ := inv["CommandPlugins"].([]any)
				for _, p := range plugins {
					if pm, ok := p.(map[string]any); ok {
						pm["Output"] = cut(out, 2500)
					}
				}
			}
		case "GetCommandInvocation":
			if out, ok := outputs[str(body["InstanceId"])]; ok && terminal(str(body["Status"])) {
				body["StandardOutputContent"] = cut(out, 24000)
			}
		}
	}
}

// DropFields deletes the named keys from every object of every answer of
// the given operations (all operations when ops is empty).
func DropFields(ops []string, keys ...string) Rewrite {
	return func(op string, body map[string]any) {
		if len(ops) > 0 && !slices.Contains(ops, op) {
			return
		}
		drop(body, keys)
	}
}

func drop(v any, keys []string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range keys {
			delete(x, k)
		}
		for _, child := range x {
			drop(child, keys)
		}
	case []any:
		for _, child := range x {
			drop(child, keys)
		}
	}
}

func terminal(status string) bool {
	switch status {
	case "Success", "Failed", "TimedOut", "Cancelled":
		return true
	}
	return false
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
