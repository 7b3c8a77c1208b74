package dockerrt

import (
	"archive/tar"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/moby/moby/client"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// fakeEngine is a state-based stand-in for the Docker Engine API: the
// calls route-bootstrap makes, answered from a few containers.
type fakeEngine struct {
	mu        sync.Mutex
	running   map[string]bool // container ID -> running; absent: no such container
	filters   string
	archive   []string // entry names of the last copy
	copyPath  string
	execCmd   []string
	execUser  string
	stdout    string
	stderr    string
	exitCode  int
	execCount int
	// hang, when set, keeps the exec stream open until it is closed.
	hang chan struct{}
	// errs are the fake's own failures to answer; newFake fails the test
	// on any of them.
	errs []error
}

// fail records a failure to answer, under f.mu.
func (f *fakeEngine) fail(err error) { f.errs = append(f.errs, err) }

func (f *fakeEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Api-Version", "1.44")
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) > 0 && strings.HasPrefix(parts[0], "v1.") {
		parts = parts[1:]
	}
	path := strings.Join(parts, "/")
	switch {
	case path == "_ping":
		if _, err := io.WriteString(w, "OK"); err != nil {
			f.fail(fmt.Errorf("answering ping: %w", err))
		}
	case path == "containers/json":
		f.filters = r.URL.Query().Get("filters")
		f.writeJSON(w, []map[string]any{
			{"Id": "nat0123456789abcdef", "Labels": map[string]string{LabelTaskARN: "arn:task/1", LabelContainerName: "web"}, "HostConfig": map[string]string{"NetworkMode": "nat"}},
		})
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "archive":
		f.copyPath = r.URL.Query().Get("path")
		tr := tar.NewReader(r.Body)
		f.archive = nil
		for {
			h, err := tr.Next()
			if err != nil {
				break
			}
			f.archive = append(f.archive, h.Name)
		}
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "exec":
		if !f.running[parts[1]] {
			http.Error(w, `{"message":"container is not running"}`, http.StatusConflict)
			return
		}
		var req struct {
			User string
			Cmd  []string
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			f.fail(fmt.Errorf("decoding exec create: %w", err))
			http.Error(w, `{"message":"bad exec request"}`, http.StatusBadRequest)
			return
		}
		f.execUser, f.execCmd = req.User, req.Cmd
		f.writeJSON(w, map[string]string{"Id": "exec1"})
	case path == "exec/exec1/start":
		f.execCount++
		// The start request's body must be read before the hijack: a
		// socket closed with unread input sends a reset, and the client can
		// see the reset before the frames written ahead of it.
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			f.fail(fmt.Errorf("reading exec start: %w", err))
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer closeGracefully(conn)
		if f.hang != nil {
			hang := f.hang
			f.mu.Unlock()
			buf.WriteString("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n") //nolint:errcheck // test server
			buf.Flush()                                                                                                                                        //nolint:errcheck // test server
			<-hang
			f.mu.Lock()
			return
		}
		answer := "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
		answer += frame(1, f.stdout) + frame(2, f.stderr)
		if _, err := buf.WriteString(answer); err != nil {
			f.fail(fmt.Errorf("writing exec stream: %w", err))
			return
		}
		if err := buf.Flush(); err != nil {
			f.fail(fmt.Errorf("flushing exec stream: %w", err))
		}
	case path == "exec/exec1/json":
		f.writeJSON(w, map[string]any{"ID": "exec1", "Running": false, "ExitCode": f.exitCode})
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "json":
		running, ok := f.running[parts[1]]
		if !ok {
			http.Error(w, `{"message":"No such container"}`, http.StatusNotFound)
			return
		}
		f.writeJSON(w, map[string]any{"Id": parts[1], "State": map[string]any{"Running": running}, "HostConfig": map[string]any{"Isolation": "process"}})
	case path == "networks/nat":
		f.writeJSON(w, map[string]any{"Name": "nat", "IPAM": map[string]any{"Config": []map[string]string{{"Subnet": "172.24.16.0/20", "Gateway": "172.24.16.1"}}}})
	default:
		http.NotFound(w, r)
	}
}

// closeGracefully ends the hijacked stream as the Engine does: its write
// side first (the client's end of output), then the socket, with no unread
// input left that would turn the close into a reset.
func closeGracefully(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.CloseWrite() //nolint:errcheck // test server
	}
	conn.Close()
}

// writeJSON answers v as JSON, under f.mu.
func (f *fakeEngine) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		f.fail(fmt.Errorf("encoding answer: %w", err))
	}
}

// frame is one stdcopy frame: stream byte, three zero bytes, big-endian
// length, payload; nothing for an empty payload.
func frame(stream byte, payload string) string {
	if payload == "" {
		return ""
	}
	header := [8]byte{stream}
	binary.BigEndian.PutUint32(header[4:], uint32(len(payload)))
	return string(header[:]) + payload
}

func newFake(t *testing.T) (*fakeEngine, *Runtime) {
	t.Helper()
	f := &fakeEngine{running: map[string]bool{"nat0123456789abcdef": true, "stopped": false}}
	// Registered before srv.Close, so it runs after the server has stopped.
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if err := errors.Join(f.errs...); err != nil {
			t.Errorf("fake engine: %v", err)
		}
	})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	rt, err := New(client.WithHost("tcp://" + strings.TrimPrefix(srv.URL, "http://")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return f, rt
}

func TestListContainers(t *testing.T) {
	f, rt := newFake(t)
	got, err := rt.ListContainers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []hostos.Container{{ID: "nat0123456789abcdef", TaskARN: "arn:task/1", ECSContainerName: "web", NetworkMode: "nat", Isolation: "process"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if !strings.Contains(f.filters, LabelTaskARN) || !strings.Contains(f.filters, "running") {
		t.Errorf("filters %s: want the task-ARN label and running status", f.filters)
	}
}

func TestCopyFileCreatesTheFolder(t *testing.T) {
	f, rt := newFake(t)
	src := filepath.Join(t.TempDir(), "route-bootstrap.exe")
	if err := os.WriteFile(src, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := rt.CopyFile(context.Background(), "nat0123456789abcdef", src, `C:\Windows\ecswin-0a1b\route-bootstrap.exe`); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ecswin-0a1b/", "ecswin-0a1b/route-bootstrap.exe"}; !slices.Equal(f.archive, want) {
		t.Errorf("archive %q, want %q: only the new folder, nothing that exists", f.archive, want)
	}
	if f.copyPath != `C:\Windows` {
		t.Errorf("copied to %q, want C:\\Windows", f.copyPath)
	}
}

func TestNATSubnet(t *testing.T) {
	_, rt := newFake(t)
	got, err := rt.NATSubnet(context.Background())
	if err != nil || got != netip.MustParsePrefix("172.24.16.0/20") {
		t.Fatalf("NATSubnet = %v, %v", got, err)
	}
}

// TestExecEndsWithItsContext: an exec whose output never ends is cut off
// by its context, not waited for.
func TestExecEndsWithItsContext(t *testing.T) {
	f, rt := newFake(t)
	f.hang = make(chan struct{})
	defer close(f.hang)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := rt.Exec(ctx, "nat0123456789abcdef", []string{"x"})
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestExec(t *testing.T) {
	f, rt := newFake(t)
	f.stdout, f.stderr, f.exitCode = `{"schema":"x"}`+"\n", "warning\n", 3
	argv := []string{`C:\ecswin\route-bootstrap.exe`, "ensure", "--format", "json"}
	res, err := rt.Exec(context.Background(), "nat0123456789abcdef", argv)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Stdout) != f.stdout || string(res.Stderr) != f.stderr || res.ExitCode != 3 {
		t.Errorf("result %+v", res)
	}
	if f.execUser != ExecUser || !slices.Equal(f.execCmd, argv) {
		t.Errorf("exec as %q running %q", f.execUser, f.execCmd)
	}
}

func TestExecInStoppedContainer(t *testing.T) {
	tests := map[string]string{"stopped": "stopped", "vanished": "gone"}
	for name, id := range tests {
		t.Run(name, func(t *testing.T) {
			_, rt := newFake(t)
			_, err := rt.Exec(context.Background(), id, []string{"x"})
			if !errors.Is(err, hostos.ErrContainerNotRunning) {
				t.Errorf("err = %v, want ErrContainerNotRunning", err)
			}
		})
	}
}

func TestSplitDestination(t *testing.T) {
	tests := map[string]struct{ dst, parent, folder, file string }{
		"windows":    {`C:\Windows\ecswin-1f\route-bootstrap.exe`, `C:\Windows`, "ecswin-1f", "route-bootstrap.exe"},
		"forward":    {"C:/Windows/ecswin-1f/rb.exe", `C:\Windows`, "ecswin-1f", "rb.exe"},
		"drive root": {`D:\ecswin-1f\rb.exe`, `D:\`, "ecswin-1f", "rb.exe"},
		"deeper":     {`C:\a\b\c\rb.exe`, `C:\a\b`, "c", "rb.exe"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			parent, folder, file, err := splitDestination(tc.dst)
			if err != nil || parent != tc.parent || folder != tc.folder || file != tc.file {
				t.Errorf("got %q %q %q %v, want %q %q %q", parent, folder, file, err, tc.parent, tc.folder, tc.file)
			}
		})
	}
	for _, bad := range []string{`rb.exe`, `C:\rb.exe`, `C:\Windows\`} {
		if _, _, _, err := splitDestination(bad); err == nil {
			t.Errorf("splitDestination(%q) accepted", bad)
		}
	}
}
