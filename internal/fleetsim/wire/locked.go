package wire

import (
	"context"
	"reflect"
)

// Guard brackets the operations of a simulator: Write for those that
// change state, Read for those that only look (and may run side by
// side). Each returns the function that ends the operation.
type Guard struct {
	Write func() (leave func())
	Read  func() (leave func())
}

// HandleGuarded registers fn as svc's operation name, decoding its input
// and running it inside the guard (Read when readOnly); the answer is
// encoded after leaving.
func HandleGuarded[In any](m *Mux, svc *Service, name string, g Guard, readOnly bool, fn func(*In) (any, error)) {
	enter := g.Write
	if readOnly && g.Read != nil {
		enter = g.Read
	}
	m.handle(svc, name, Typed(func(_ context.Context, in *In) (any, error) {
		leave := enter()
		defer leave()
		return fn(in)
	}), reflect.TypeFor[In]())
}

// HandleTyped registers fn as svc's operation name, decoding its input,
// without a guard: for an operation that takes and leaves the
// simulator's lock itself, such as a long poll that waits outside it.
func HandleTyped[In any](m *Mux, svc *Service, name string, fn func(context.Context, *In) (any, error)) {
	m.handle(svc, name, Typed(fn), reflect.TypeFor[In]())
}
