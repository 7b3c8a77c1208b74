package memos

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// Compartment is a free-standing network compartment with any adapters and
// routes, for tests of the cases a container seldom shows by itself: several
// matching adapters, several default routes, none at all.
type Compartment struct {
	mu       sync.Mutex
	adapters []hostos.Adapter
	routes   []hostos.Route
	// stopAfter > 0 stops the compartment after that many route changes,
	// as a container exiting in the middle of a repair does.
	stopAfter int
	changes   int
	stopped   bool
}

var _ hostos.Network = (*Compartment)(nil)

// NewCompartment copies the given adapters and routes.
func NewCompartment(adapters []hostos.Adapter, routes []hostos.Route) *Compartment {
	return &Compartment{adapters: slices.Clone(adapters), routes: slices.Clone(routes)}
}

// StopAfterChanges makes the compartment vanish once n route changes have
// been made; every later call fails with hostos.ErrContainerNotRunning.
func (c *Compartment) StopAfterChanges(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopAfter = n
}

// Changes counts the route changes made so far.
func (c *Compartment) Changes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changes
}

func (c *Compartment) alive() error {
	if c.stopped {
		return fmt.Errorf("compartment: %w", hostos.ErrContainerNotRunning)
	}
	return nil
}

func (c *Compartment) changed() {
	c.changes++
	if c.stopAfter > 0 && c.changes >= c.stopAfter {
		c.stopped = true
	}
}

// Adapters lists the adapters.
func (c *Compartment) Adapters(context.Context) ([]hostos.Adapter, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.alive(); err != nil {
		return nil, err
	}
	return slices.Clone(c.adapters), nil
}

// Routes lists the routes.
func (c *Compartment) Routes(context.Context) ([]hostos.Route, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.alive(); err != nil {
		return nil, err
	}
	return slices.Clone(c.routes), nil
}

// AddRoute adds a route.
func (c *Compartment) AddRoute(_ context.Context, r hostos.Route) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.alive(); err != nil {
		return err
	}
	c.routes = addRoute(c.routes, r)
	c.changed()
	return nil
}

// DeleteRoute deletes a route.
func (c *Compartment) DeleteRoute(_ context.Context, r hostos.Route) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.alive(); err != nil {
		return err
	}
	var err error
	if c.routes, err = deleteRoute(c.routes, r); err == nil {
		c.changed()
	}
	return err
}
