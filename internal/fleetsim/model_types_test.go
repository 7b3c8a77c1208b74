package fleetsim_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim"
	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// TestHandlerInputTypesMatchTheModel holds every handler's Go input type
// to the operation's input shape: each JSON name exactly a member of the
// shape (the checker drops every other member, so a misnamed field would
// silently never be set) and each Go type one the member's JSON decodes
// into. Every served operation must be registered, and only those.
func TestHandlerInputTypesMatchTheModel(t *testing.T) {
	sim, err := fleetsim.New(fleetsim.Options{}, mustScenario(t, "small"))
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, svc := range apimodel.Served {
		for _, op := range svc.Operations {
			served[svc.Name+"."+op] = true
		}
	}
	for _, rt := range sim.Routes() {
		name := rt.Service.Name + "." + rt.Operation
		if !served[name] {
			t.Errorf("%s is registered but not in apimodel.Served", name)
		}
		delete(served, name)
		if rt.InputType == nil {
			t.Errorf("%s: registered without a typed input", name)
			continue
		}
		if rt.Rules.Model.Metadata.TargetPrefix != rt.Service.TargetPrefix {
			t.Errorf("%s: the model's target prefix is %s, the wire's %s", name, rt.Rules.Model.Metadata.TargetPrefix, rt.Service.TargetPrefix)
		}
		matchType(t, rt, name, rt.InputShape, rt.InputType)
	}
	for name := range served {
		t.Errorf("%s is in apimodel.Served but no handler serves it", name)
	}
}

func mustScenario(t *testing.T, name string) *fleetsim.Scenario {
	t.Helper()
	s, err := fleetsim.BuiltinScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var epochType = reflect.TypeFor[wire.Epoch]()

func matchType(t *testing.T, rt wire.Route, path, shapeName string, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	s := rt.Rules.Model.Shapes[shapeName]
	if s == nil {
		t.Errorf("%s: no shape %s", path, shapeName)
		return
	}
	kinds := map[string][]reflect.Kind{
		"string": {reflect.String}, "integer": {reflect.Int32}, "long": {reflect.Int64},
		"boolean": {reflect.Bool}, "double": {reflect.Float64}, "float": {reflect.Float32, reflect.Float64},
		"list": {reflect.Slice}, "map": {reflect.Map}, "structure": {reflect.Struct},
		"blob": {reflect.Slice}, // []byte, base64 on the JSON wire
	}
	switch {
	case s.Type == "timestamp":
		if typ != epochType {
			t.Errorf("%s: a timestamp decodes into wire.Epoch, not %s", path, typ)
		}
		return
	case !kindIn(typ.Kind(), kinds[s.Type]):
		t.Errorf("%s: shape %s is a %s, the Go type %s", path, shapeName, s.Type, typ)
		return
	}
	switch s.Type {
	case "list":
		matchType(t, rt, path+"[]", s.Member.Shape, typ.Elem())
	case "map":
		matchType(t, rt, path+"{}", s.Value.Shape, typ.Elem())
	case "structure":
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Anonymous {
				matchType(t, rt, path, shapeName, f.Type) // its fields are promoted
				continue
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			ref, ok := s.Members[tag]
			if !ok {
				t.Errorf("%s: Go field %s reads %q, which shape %s does not have (exact case)", path, f.Name, tag, shapeName)
				continue
			}
			matchType(t, rt, path+"."+tag, ref.Shape, f.Type)
		}
	}
}

func kindIn(k reflect.Kind, ks []reflect.Kind) bool {
	for _, x := range ks {
		if k == x {
			return true
		}
	}
	return false
}
