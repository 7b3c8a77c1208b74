package hostos

import (
	"context"
)

// unsupportedNetwork fails every call with ErrUnsupported.
type unsupportedNetwork struct{}

func (unsupportedNetwork) Adapters(context.Context) ([]Adapter, error) { return nil, ErrUnsupported }
func (unsupportedNetwork) Routes(context.Context) ([]Route, error)     { return nil, ErrUnsupported }
func (unsupportedNetwork) AddRoute(context.Context, Route) error       { return ErrUnsupported }
func (unsupportedNetwork) DeleteRoute(context.Context, Route) error    { return ErrUnsupported }

// Unsupported is an OS for platforms route-bootstrap does not run on: every
// network call fails with ErrUnsupported, host calls with ErrNotHost.
func Unsupported() OS { return NetworkOnly{Network: unsupportedNetwork{}} }
