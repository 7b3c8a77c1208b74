package awsapi

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/logging"
	"github.com/go-logr/logr"
)

// sdkLogger sends the SDK's own log lines (such as the IMDS client's
// "falling back to IMDSv1") through logr instead of the SDK's default,
// which prints to stderr. logr has no warning level: warnings are info
// lines with classification=WARN, debug lines are V(1).
type sdkLogger struct{ log logr.Logger }

var (
	_ logging.Logger        = sdkLogger{}
	_ logging.ContextLogger = sdkLogger{}
)

func (l sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	log := l.log
	if c != logging.Warn {
		log = log.V(1)
	}
	log.Info(fmt.Sprintf(format, v...), "classification", string(c))
}

// WithContext logs a call's lines with the logger of the call's context
// (the reconciler's, carrying the policy), else with the configured one.
func (l sdkLogger) WithContext(ctx context.Context) logging.Logger {
	if log, err := logr.FromContext(ctx); err == nil {
		return sdkLogger{log: log.WithName("aws")}
	}
	return l
}
