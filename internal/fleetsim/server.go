package fleetsim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Start serves the simulator on 127.0.0.1 at a free port and returns its
// URL (for BaseEndpoint) and the function that stops it. It panics when
// no local port can be had, as httptest.NewServer does.
func (s *Sim) Start() (url string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fleetsim: listening on 127.0.0.1: %v", err))
	}
	return s.Serve(ln)
}

// Serve serves the simulator on ln until stop is called.
func (s *Sim) Serve(ln net.Listener) (url string, stop func()) {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(fmt.Sprintf("fleetsim: serving: %v", err))
		}
	}()
	url = "http://" + ln.Addr().String()
	s.mu.Lock()
	s.endpoint = ln.Addr().String()
	s.mu.Unlock()
	return url, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}
}
