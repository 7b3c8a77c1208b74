package wire

import "context"

// HandleLocked registers fn as svc's operation name, decoding its input
// and running it between enter and the leave function enter returns
// (the simulator's lock); the answer is encoded after leaving.
func HandleLocked[In any](m *Mux, svc *Service, name string, enter func() (leave func()), fn func(*In) (any, error)) {
	m.Handle(svc, name, Typed(func(_ context.Context, in *In) (any, error) {
		leave := enter()
		defer leave()
		return fn(in)
	}))
}
