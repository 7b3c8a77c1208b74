// Package botocoretest finds the botocore models installed on this
// machine for the tests that hold the simulator to them.
package botocoretest

import (
	"os"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// RequireEnv names the variable that, set to 1, makes a missing botocore
// a test failure instead of a skip; CI sets it, as it sets
// ECSWIN_REQUIRE_WINE for Wine.
const RequireEnv = "ECSWIN_REQUIRE_BOTOCORE"

// Installed returns every botocore installation with the served models,
// or skips the test (fails it under RequireEnv=1) when there is none.
func Installed(t testing.TB) []apimodel.Botocore {
	t.Helper()
	found := apimodel.FindBotocore()
	if len(found) > 0 {
		return found
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s=1 but %v", RequireEnv, apimodel.ErrNoBotocore)
	}
	t.Skipf("%v (apt-get install python3-botocore; .ci/run does, and sets %s=1)", apimodel.ErrNoBotocore, RequireEnv)
	return nil
}
