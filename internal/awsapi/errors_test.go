package awsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestClassify(t *testing.T) {
	api := func(code string) error {
		return fmt.Errorf("describing: %w", &smithy.GenericAPIError{Code: code, Message: "m"})
	}
	status := func(code int) error {
		return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: code}}, Err: errors.New("x")}}
	}
	cases := map[string]struct {
		err  error
		want Kind
	}{
		"nil":               {nil, KindNone},
		"throttling":        {api("ThrottlingException"), KindThrottled},
		"cluster not found": {api("ClusterNotFoundException"), KindNotFound},
		"document missing":  {api("InvalidDocument"), KindNotFound},
		"document changed": {fmt.Errorf("sending: %w", &smithy.GenericAPIError{Code: "InvalidDocument",
			Message: "document hash ee02200c65f0b5f76be341511a1520e7880c15312ca8b5455aebf1847d08705f does not match Sha256."}), KindDocumentChanged},
		"invocation not yet there": {api("InvocationDoesNotExist"), KindInvocationDoesNotExist},
		"bad instance":             {api("InvalidInstanceId"), KindInvalidInstanceID},
		"bad parameter":            {api("InvalidParameterException"), KindInvalidInput},
		"ecs client exception":     {api("ClientException"), KindInvalidInput},
		"same document content":    {api("DuplicateDocumentContent"), KindDuplicateContent},
		"document exists":          {api("DocumentAlreadyExists"), KindAlreadyExists},
		"access denied":            {api("AccessDeniedException"), KindAccessDenied},
		"bad access key":           {api("UnrecognizedClientException"), KindCredentials},
		"expired token":            {api("ExpiredTokenException"), KindCredentials},
		"no credentials": {fmt.Errorf("operation error ECS: DescribeClusters, %w",
			errors.New("get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found")), KindCredentials},
		"IMDS timed out":     {fmt.Errorf("get identity: get credentials: no EC2 IMDS role found, %w", context.DeadlineExceeded), KindCredentials},
		"deadline":           {fmt.Errorf("x: %w", context.DeadlineExceeded), KindCanceled},
		"connection refused": {&smithyhttp.RequestSendError{Err: errors.New("dial tcp: connect: connection refused")}, KindUnreachable},
		"ecs server":         {api("ServerException"), KindServer},
		"ssm server":         {api("InternalServerError"), KindServer},
		"unknown code":       {api("SomethingNew"), KindUnknown},
		"bare 503":           {status(503), KindServer},
		"bare 429":           {status(429), KindThrottled},
		"bare 403":           {status(403), KindAccessDenied},
		"bare 400":           {status(400), KindInvalidInput},
		"canceled":           {fmt.Errorf("x: %w", context.Canceled), KindCanceled},
		"plain error":        {errors.New("dial tcp: refused"), KindUnknown},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Classify(c.err); got != c.want {
				t.Errorf("Classify = %q, want %q", got, c.want)
			}
		})
	}
}

func TestResultLabel(t *testing.T) {
	cases := map[Kind]string{
		KindNone: "success", KindThrottled: "throttled", KindInvocationDoesNotExist: "invocation_does_not_exist",
		KindInvalidInstanceID: "invalid_instance_id", KindServer: "server",
	}
	for k, want := range cases {
		if got := ResultLabel(k); got != want {
			t.Errorf("ResultLabel(%q) = %q, want %q", k, got, want)
		}
	}
}
