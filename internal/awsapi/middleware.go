package awsapi

import (
	"context"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// CallObserver is told about every HTTP attempt an SDK client makes.
type CallObserver interface {
	ObserveAPICall(APICall)
}

// APICall is one attempt of an AWS call.
type APICall struct {
	// Policy is whose call it was (WithPolicy), "" if nobody's.
	Policy string
	// Service and Operation are the SDK's names (Operation).
	Service, Operation string
	// Result is "success" or the snake_case error kind ("throttled",
	// "server", "access_denied", ...: ResultLabel).
	Result string
	// Throttled repeats whether the attempt was throttled.
	Throttled bool
}

// ResultSuccess is the result label of an attempt that succeeded.
const ResultSuccess = "success"

// ResultLabel turns an error kind into a bounded metric label value.
func ResultLabel(k Kind) string {
	if k == KindNone {
		return ResultSuccess
	}
	var b strings.Builder
	for i, r := range string(k) {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// callAccounting inserts a middleware just after the retryer, so it sees
// each attempt rather than each logical call.
func callAccounting(obs CallObserver) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		if obs == nil {
			return nil
		}
		mw := middleware.FinalizeMiddlewareFunc("ecswinCallAccounting",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleFinalize(ctx, in)
				kind := Classify(err)
				if kind != KindCanceled {
					obs.ObserveAPICall(APICall{
						Policy:  PolicyOf(ctx),
						Service: awsmiddleware.GetServiceID(ctx), Operation: awsmiddleware.GetOperationName(ctx),
						Result: ResultLabel(kind), Throttled: kind == KindThrottled,
					})
				}
				return out, md, err
			})
		return stack.Finalize.Insert(mw, "Retry", middleware.After)
	}
}
