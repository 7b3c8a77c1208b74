package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/ensure"
)

const (
	formatJSON = "json"
	formatText = "text"
)

// Flag names shared with the SSM document's argument mapping.
const (
	FlagCheck          = "--check"
	FlagFormat         = "--format"
	FlagAdapterPattern = "--adapter-pattern"
	FlagDestinations   = "--destinations"
	FlagTimeout        = "--timeout"
)

// routeFlags are the flags ensure, host and exec share.
type routeFlags struct {
	check          bool
	format         string
	adapterPattern string
	destinations   prefixList
	// timeout bounds the whole command (0: no bound). For exec it bounds
	// ensure, not the application.
	timeout time.Duration
}

func (f *routeFlags) register(fs *flag.FlagSet) {
	f.destinations = append(prefixList(nil), ensure.DefaultDestinations...)
	fs.BoolVar(&f.check, name(FlagCheck), false, "report only; change nothing")
	fs.StringVar(&f.format, name(FlagFormat), formatJSON, "report format: json or text")
	fs.StringVar(&f.adapterPattern, name(FlagAdapterPattern), ensure.DefaultAdapterPattern,
		"adapter description pattern (PowerShell -like: * and ?)")
	fs.Var(&f.destinations, name(FlagDestinations), "comma-separated destination prefixes")
	fs.DurationVar(&f.timeout, name(FlagTimeout), 0, "deadline for the run, such as 9m30s (0: none); the report is written before it")
}

// withTimeout bounds ctx by --timeout, when given.
func (f *routeFlags) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, f.timeout)
}

func (f *routeFlags) validate() error {
	if f.format != formatJSON && f.format != formatText {
		return fmt.Errorf("--format must be json or text, not %q", f.format)
	}
	if f.adapterPattern == "" {
		return errors.New("--adapter-pattern must not be empty")
	}
	if len(f.destinations) == 0 {
		return errors.New("--destinations must name at least one prefix")
	}
	if f.timeout < 0 {
		return errors.New("--timeout must not be negative")
	}
	return nil
}

func (f *routeFlags) ensureOptions() ensure.Options {
	return ensure.Options{AdapterPattern: f.adapterPattern, Destinations: f.destinations, Check: f.check}
}

// ensureFlags are the flags the host passes on to ensure in containers.
func (f *routeFlags) ensureFlags() []string {
	return []string{FlagAdapterPattern, f.adapterPattern, FlagDestinations, f.destinations.String()}
}

// name turns "--check" into the flag package's "check".
func name(flagName string) string { return strings.TrimPrefix(flagName, "--") }

func newFlagSet(cmd string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("route-bootstrap "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// prefixList is a comma-separated list of IPv4 prefixes.
type prefixList []netip.Prefix

func (p *prefixList) String() string {
	parts := make([]string, len(*p))
	for i, x := range *p {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

func (p *prefixList) Set(s string) error {
	var out prefixList
	for _, part := range strings.Split(s, ",") {
		pfx, err := netip.ParsePrefix(strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("parsing destination: %w", err)
		}
		if !pfx.Addr().Is4() {
			return fmt.Errorf("destination %s is not IPv4", pfx)
		}
		out = append(out, pfx.Masked())
	}
	*p = out
	return nil
}
