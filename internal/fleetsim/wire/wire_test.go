package wire

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

func TestMuxAnswersLikeAWS(t *testing.T) {
	m := NewMux(nil)
	m.Handle(ECS, "Ok", Typed(func(_ context.Context, in *struct{ Name string }) (any, error) {
		return map[string]string{"echo": in.Name}, nil
	}))
	m.Handle(SSM, "Fail", func(context.Context, []byte) (any, error) {
		return nil, ClientErr("InvalidInstanceId", "no such instance")
	})
	tests := map[string]struct {
		target     string
		body       string
		status     int
		errorType  string
		typeField  string
		message    string
		messageKey string
	}{
		"ok":         {"AmazonEC2ContainerServiceV20141113.Ok", `{"Name":"x"}`, 200, "", "", "", ""},
		"ssm error":  {"AmazonSSM.Fail", `{}`, 400, "InvalidInstanceId", "com.amazonaws.ssm#InvalidInstanceId", "no such instance", "Message"},
		"bad json":   {"AmazonEC2ContainerServiceV20141113.Ok", `{`, 400, "SerializationException", "com.amazonaws.ecs#SerializationException", "", "message"},
		"unknown op": {"AmazonSSM.Nope", `{}`, 400, "UnknownOperationException", "com.amazonaws.ssm#UnknownOperationException", "", "Message"},
		"no target":  {"", `{}`, 400, "MissingAction", "com.amazonaws.ecs#MissingAction", "", "message"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			req.Header.Set("X-Amz-Target", tc.target)
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != ContentType || rec.Header().Get("X-Amzn-RequestId") == "" {
				t.Fatalf("status %d headers %v", rec.Code, rec.Header())
			}
			if tc.errorType == "" {
				if strings.TrimSpace(rec.Body.String()) != `{"echo":"x"}` {
					t.Fatalf("body %s", rec.Body)
				}
				return
			}
			if !strings.HasPrefix(rec.Header().Get("X-Amzn-ErrorType"), tc.errorType+":") {
				t.Fatalf("X-Amzn-ErrorType %q", rec.Header().Get("X-Amzn-ErrorType"))
			}
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body["__type"] != tc.typeField || (tc.message != "" && body[tc.messageKey] != tc.message) {
				t.Fatalf("body %v", body)
			}
		})
	}
}
