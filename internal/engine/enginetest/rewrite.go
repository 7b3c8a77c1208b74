package enginetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Rewrite changes one decoded JSON answer of the simulator in place.
type Rewrite func(operation string, body map[string]any)

// ServeRewritten serves the simulator behind a wire-level rewriter of its
// successful answers and returns the URL to use instead of e.URL: the
// SDK still parses every byte, nothing is mocked at the Go level.
func (e *Env) ServeRewritten(tb testing.TB, rw Rewrite) string {
	tb.Helper()
	inner := e.Sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		if rec.Code == http.StatusOK {
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
