package apimodel_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
	"github.com/ecswin/ecswin/internal/fleetsim/apimodel/botocoretest"
)

func TestEmbeddedRulesCoverEveryServedOperation(t *testing.T) {
	set := apimodel.Embedded()
	for _, svc := range apimodel.Served {
		r := set[svc.Name]
		if r == nil {
			t.Fatalf("no embedded rules for %s", svc.Name)
		}
		if got := slices.Sorted(maps.Keys(r.Model.Operations)); !slices.Equal(got, svc.Operations) {
			t.Errorf("%s: embedded operations %v, served %v: run go generate ./internal/fleetsim/apimodel", svc.Name, got, svc.Operations)
		}
		if r.Model.Metadata.EndpointPrefix != svc.Name || r.Model.Metadata.APIVersion != svc.APIVersion {
			t.Errorf("%s: embedded metadata %+v", svc.Name, r.Model.Metadata)
		}
		for _, op := range svc.Operations {
			if _, ok := r.Input(op); !ok {
				t.Errorf("%s.%s has no rules", svc.Name, op)
			}
		}
	}
}

// TestEmbeddedMatchesInstalled regenerates the embedded rules from every
// installed botocore whose model they were cut from and requires the
// same bytes: a hand edit, or a generator change without go generate,
// fails here. An installed model of another release is compared rule by
// rule and its differences logged; the conformance test in package
// fleetsim holds the simulator to that model too.
func TestEmbeddedMatchesInstalled(t *testing.T) {
	compared := 0
	for _, b := range botocoretest.Installed(t) {
		for _, svc := range apimodel.Served {
			_, trimmed, err := b.Load(svc)
			if err != nil {
				t.Fatal(err)
			}
			embedded, err := os.ReadFile(svc.Name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if trimmed.Source.SHA256 != apimodel.EmbeddedSource(svc.Name).SHA256 {
				logDrift(t, b, svc, trimmed)
				continue
			}
			regenerated, err := apimodel.Encode(trimmed)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(regenerated, embedded) {
				t.Errorf("%s.json differs from what %s generates: run go generate ./internal/fleetsim/apimodel", svc.Name, b)
			}
			compared++
		}
	}
	if compared == 0 {
		t.Skipf("no installed botocore is the one the embedded rules come from (botocore %s); differences logged above",
			apimodel.EmbeddedSource(apimodel.Served[0].Name).Botocore)
	}
}

// logDrift lists the shapes whose rules differ between the embedded
// files and another release's model.
func logDrift(t *testing.T, b apimodel.Botocore, svc apimodel.Service, other *apimodel.Model) {
	t.Helper()
	base, err := apimodel.Parse(mustRead(t, svc.Name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var differ []string
	for _, name := range slices.Sorted(maps.Keys(joinKeys(base.Shapes, other.Shapes))) {
		x, _ := json.Marshal(base.Shapes[name])
		y, _ := json.Marshal(other.Shapes[name])
		if !bytes.Equal(x, y) {
			differ = append(differ, name)
		}
	}
	t.Logf("%s: the embedded rules come from botocore %s; %s differs in %d shape(s): %v",
		svc.Name, base.Source.Botocore, b, len(differ), differ)
}

func joinKeys(a, b map[string]*apimodel.Shape) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewestPrefersReleasesToDevelopmentBuilds(t *testing.T) {
	found := []apimodel.Botocore{{Version: "1.29.27"}, {Version: "2.0.0dev155"}, {Version: "1.43.11"}, {Version: "1.9.3"}}
	if got := apimodel.Newest(found); got.Version != "1.43.11" {
		t.Fatalf("newest of %v is %s, want 1.43.11", found, got.Version)
	}
}
