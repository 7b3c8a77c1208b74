package faults

import (
	"context"
	"errors"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Fail picks the same calls every time: the Nth of its operation and the
// Times-1 after it, counting only that operation's calls.
func TestFailIsDeterministic(t *testing.T) {
	in := NewInjector(1, nil)
	in.Fail(Failure{Operation: "SendCommand", Code: "InvalidDocument", Nth: 2, Times: 2})
	svc := &wire.Service{Name: "ssm"}
	var got []string
	for _, op := range []string{"SendCommand", "ListCommands", "SendCommand", "SendCommand", "ListCommands", "SendCommand"} {
		err := in.Before(context.Background(), wire.Call{Service: "ssm", Operation: op}, svc)
		var we *wire.Error
		switch {
		case err == nil:
			got = append(got, op+":ok")
		case errors.As(err, &we):
			got = append(got, op+":"+we.Code)
		default:
			t.Fatalf("%s: %v", op, err)
		}
	}
	want := []string{"SendCommand:ok", "ListCommands:ok", "SendCommand:InvalidDocument", "SendCommand:InvalidDocument", "ListCommands:ok", "SendCommand:ok"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("calls = %v, want %v", got, want)
		}
	}
}
