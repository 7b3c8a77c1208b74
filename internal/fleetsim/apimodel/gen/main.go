// Command gen writes the simulator's embedded rules (ecs.json, ssm.json)
// from an installed botocore: the served operations' input shapes, cut
// from service-2.json. Run it with `go generate ./internal/fleetsim/apimodel`.
//
// It takes the botocore named by -data, else the installed one the
// current files came from, else the newest installed release.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

func main() {
	data := flag.String("data", "", "a botocore data directory (default: found on this machine)")
	out := flag.String("out", ".", "the directory to write ecs.json and ssm.json into")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(data, out string) error {
	b, err := pick(data)
	if err != nil {
		return err
	}
	for _, svc := range apimodel.Served {
		_, trimmed, err := b.Load(svc)
		if err != nil {
			return err
		}
		enc, err := apimodel.Encode(trimmed)
		if err != nil {
			return err
		}
		path := filepath.Join(out, svc.Name+".json")
		if err := os.WriteFile(path, enc, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		fmt.Printf("wrote %s from %s (%d operations, %d shapes)\n", path, b, len(trimmed.Operations), len(trimmed.Shapes))
	}
	return nil
}

func pick(data string) (apimodel.Botocore, error) {
	if data != "" {
		if err := os.Setenv(apimodel.BotocoreEnv, data); err != nil {
			return apimodel.Botocore{}, fmt.Errorf("setting %s: %w", apimodel.BotocoreEnv, err)
		}
	}
	found := apimodel.FindBotocore()
	if len(found) == 0 {
		return apimodel.Botocore{}, apimodel.ErrNoBotocore
	}
	if data == "" {
		if b, ok := current(found); ok {
			return b, nil
		}
	}
	return apimodel.Newest(found), nil
}

// current is the installed botocore the committed files were cut from,
// so that regenerating without a new model changes nothing.
func current(found []apimodel.Botocore) (apimodel.Botocore, bool) {
	defer func() { _ = recover() }() // no committed files yet
	svc := apimodel.Served[0]
	want := apimodel.EmbeddedSource(svc.Name).SHA256
	for _, b := range found {
		if d, err := b.Digest(svc); err == nil && d == want {
			return b, true
		}
	}
	return apimodel.Botocore{}, false
}
