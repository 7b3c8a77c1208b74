package v1alpha1_test

import (
	"testing"

	"github.com/ecswin/ecswin/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
