package engine

import (
	"context"
	"errors"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

func (e *Engine) pass(ctx context.Context, ref PolicyRef, st *policyState, spec v1alpha1.FleetPolicySpec) (Result, error) {
	return Result{}, errors.New("engine pass: not implemented yet")
}
