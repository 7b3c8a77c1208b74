package wire

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

func TestPageToken(t *testing.T) {
	tests := map[string]struct {
		token  string
		scope  string
		want   int
		wantOK bool
	}{
		"empty is the start": {"", "a", 0, true},
		"round trip":         {PageToken("a|b", 42), "a|b", 42, true},
		"other scope":        {PageToken("a", 42), "b", 0, false},
		"garbage":            {"!!!", "a", 0, false},
		"not a number":       {PageToken("a", 0)[:2] + "xx", "a", 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParsePageToken(tc.token, tc.scope)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("got %d %v, want %d %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestEpochIsFractionalSeconds(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 250e6, time.UTC)
	b, err := json.Marshal(EpochOf(at))
	if err != nil || string(b) != "1796040000.250" {
		t.Fatalf("got %s %v", b, err)
	}
	var back Epoch
	if err := json.Unmarshal(b, &back); err != nil || !back.Time().Equal(at) {
		t.Fatalf("round trip %v %v", back.Time(), err)
	}
	if EpochOf(time.Time{}) != nil {
		t.Fatal("zero time should be omitted")
	}
}

// testMux serves ECS ListClusters (echoing the nextToken it decoded)
// and SSM GetCommandInvocation (always failing) under the embedded rules.
func testMux() *Mux {
	m := NewMux(nil, apimodel.Embedded())
	m.Handle(ECS, "ListClusters", Typed(func(_ context.Context, in *struct {
		NextToken  string `json:"nextToken"`
		MaxResults *int32 `json:"maxResults"`
	}) (any, error) {
		return map[string]string{"echo": in.NextToken}, nil
	}))
	m.Handle(SSM, "GetCommandInvocation", func(context.Context, []byte) (any, error) {
		return nil, ClientErr("InvocationDoesNotExist", "no such invocation")
	})
	return m
}

func TestMuxAnswersLikeAWS(t *testing.T) {
	const listClusters, getInvocation = "AmazonEC2ContainerServiceV20141113.ListClusters", "AmazonSSM.GetCommandInvocation"
	okInvocation := `{"CommandId":"00000000-0000-4000-8000-000000000000","InstanceId":"i-0123456789abcdef0"}`
	tests := map[string]struct {
		target    string
		body      string
		status    int
		errorType string // __type
		message   string // a part of the message
		echo      string
	}{
		"ok":                   {listClusters, `{"nextToken":"x"}`, 200, "", "", "x"},
		"empty body":           {listClusters, ``, 200, "", "", ""},
		"member case matters":  {listClusters, `{"NextToken":"x"}`, 200, "", "", ""},
		"unknown member":       {listClusters, `{"nextToken":"x","surprise":1}`, 200, "", "", "x"},
		"ssm error":            {getInvocation, okInvocation, 400, "com.amazonaws.ssm#InvocationDoesNotExist", "no such invocation", ""},
		"bad json":             {listClusters, `{`, 400, "com.amazonaws.ecs#SerializationException", "cannot parse", ""},
		"trailing data":        {listClusters, `{}{}`, 400, "com.amazonaws.ecs#SerializationException", "after the JSON", ""},
		"not an object":        {listClusters, `[]`, 400, "com.amazonaws.ecs#SerializationException", "the request body", ""},
		"string for integer":   {listClusters, `{"maxResults":"5"}`, 400, "com.amazonaws.ecs#SerializationException", "'maxResults'", ""},
		"fraction for integer": {listClusters, `{"maxResults":1.5}`, 400, "com.amazonaws.ecs#SerializationException", "integer", ""},
		"ecs documented range": {listClusters, `{"maxResults":101}`, 400, "com.amazonaws.ecs#InvalidParameterException", "MaxResults must be between 1 and 100.", ""},
		"ssm required": {getInvocation, `{"commandId":"00000000-0000-4000-8000-000000000000","InstanceId":"i-0123456789abcdef0"}`, 400,
			"com.amazonaws.ssm#ValidationException", "1 validation error detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null", ""},
		"ssm every violation": {getInvocation, `{"CommandId":"short","InstanceId":"x","PluginName":"ab"}`, 400,
			"com.amazonaws.ssm#ValidationException", "3 validation errors detected: Value 'short' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36; " +
				"Value 'x' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$); " +
				"Value 'ab' at 'pluginName' failed to satisfy constraint: Member must have length greater than or equal to 4", ""},
		"unknown op":     {"AmazonSSM.Nope", `{}`, 400, "com.amazonaws.ssm#UnknownOperationException", "AmazonSSM.Nope", ""},
		"no target":      {"", `{}`, 400, "com.amazon.coral.service#UnknownOperationException", "X-Amz-Target", ""},
		"unknown prefix": {"Nope.ListClusters", `{}`, 400, "com.amazon.coral.service#UnknownOperationException", "Nope.ListClusters", ""},
	}
	m := testMux()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			req.Header.Set("X-Amz-Target", tc.target)
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != "application/x-amz-json-1.1" || rec.Header().Get("X-Amzn-RequestId") == "" {
				t.Fatalf("status %d headers %v body %s", rec.Code, rec.Header(), rec.Body)
			}
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if tc.errorType == "" {
				if body["echo"] != tc.echo {
					t.Fatalf("body %s, want echo %q", rec.Body, tc.echo)
				}
				return
			}
			code := tc.errorType[strings.IndexByte(tc.errorType, '#')+1:]
			if !strings.HasPrefix(rec.Header().Get("X-Amzn-ErrorType"), code+":") {
				t.Fatalf("X-Amzn-ErrorType %q", rec.Header().Get("X-Amzn-ErrorType"))
			}
			msg := body["message"] + body["Message"]
			if body["__type"] != tc.errorType || !strings.Contains(msg, tc.message) {
				t.Fatalf("body %v, want %s containing %q", body, tc.errorType, tc.message)
			}
		})
	}
}

func TestHandleRefusesOperationsWithoutRules(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering an operation the rules do not cover did not panic")
		}
	}()
	NewMux(nil, apimodel.Embedded()).Handle(ECS, "RunTask", nil)
}
