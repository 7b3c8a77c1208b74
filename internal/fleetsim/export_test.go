package fleetsim

import "github.com/ecswin/ecswin/internal/fleetsim/wire"

// Routes lists the operations the simulator serves, for the tests that
// hold its handlers and answers to the service models.
func (s *Sim) Routes() []wire.Route { return s.mux.Routes() }
